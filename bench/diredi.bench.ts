import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ExperimentReport, RoundReport, RoundSummary } from '../src/shared/api/diredi'
import { createApp, type App } from '../src/main/app/app'
import type { Report } from './run'

async function job(app: App, started: { id: string }): Promise<unknown> {
  const done = await app.services.jobs.wait(started.id)
  if (done.state !== 'succeeded') throw new Error(`${done.kind} ${done.state}: ${done.error?.message}`)
  return done.result
}

/**
 * The DiReDi loop: one full round on the shipped demo scenario (time, knowledge against private data,
 * every byte from the boards), then the experiment harness. `DIREDI_BENCH_SCENARIOS=prior-3,covariate-3`
 * (and `DIREDI_BENCH_ROUNDS`) also runs the full experiments on those scenarios and reports the yardstick.
 */
export async function run(report: Report): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'diredi-bench-loop-'))
  const app = await createApp({ dataDir, host: 'cli' })
  try {
    let t0 = performance.now()
    const first = (await job(app, await app.router.invoke('diredi.round', { scenario: 'demo-tiny' }))) as { rounds: RoundSummary[] }
    const setupAndRound = (performance.now() - t0) / 1000
    t0 = performance.now()
    const second = (await job(app, await app.router.invoke('diredi.round', { scenario: 'demo-tiny' }))) as { rounds: RoundSummary[] }
    const roundSeconds = (performance.now() - t0) / 1000
    const r: RoundReport = await app.router.invoke('diredi.roundReport', { id: second.rounds[0].id })
    report({
      bench: 'diredi.round_demo_tiny',
      firstRoundWithSetupSeconds: +setupAndRound.toFixed(2),
      roundSeconds: +roundSeconds.toFixed(2),
      outcome: r.outcome,
      firstOutcome: first.rounds[0].outcome,
      boards: r.boards.length,
      bytesFromBoards: r.ledger.totals.bytes,
      knowledgeBytes: r.ledger.totals.knowledgeBytes,
      privateDataBytes: r.ledger.totals.privateDataBytes,
      knowledgeToPrivateData: +(r.ledger.totals.knowledgeBytes / r.ledger.totals.privateDataBytes).toFixed(4),
      rawSamplesUploaded: r.ledger.totals.rawSamplesUploaded,
      accUserBefore: +r.metrics.accUserBefore.toFixed(4),
      accUserAfter: +r.metrics.accUserAfter.toFixed(4)
    })
    const scenarios = (process.env.DIREDI_BENCH_SCENARIOS ?? '').split(',').filter(Boolean)
    for (const s of ['demo-tiny', ...scenarios]) {
      t0 = performance.now()
      const rounds = s === 'demo-tiny' ? 1 : Number(process.env.DIREDI_BENCH_ROUNDS ?? 2)
      const res = (await job(app, await app.router.invoke('diredi.experiment', { scenario: s, rounds, ...(s === 'demo-tiny' ? { methods: ['local', 'oracle', 'diredi'] as const } : {}) }))) as { id: string }
      const e: ExperimentReport = await app.router.invoke('diredi.experimentReport', { id: res.id })
      const row = (m: string) => e.table.find((x) => x.method === m)
      report({
        bench: `diredi.experiment_${s}`,
        seconds: +((performance.now() - t0) / 1000).toFixed(1),
        rounds,
        ...Object.fromEntries(e.table.map((x) => [x.method, { acc_user: +x.acc_user.toFixed(4), acc_presumed: +x.acc_presumed.toFixed(4), max_class_drop: +x.max_class_drop.toFixed(1), raw_samples_uploaded: x.raw_samples_uploaded, knowledge_bytes: x.knowledge_bytes, seconds: +x.seconds.toFixed(1), qa_passed: x.qa_passed }])),
        yardstickShare: Number.isFinite(e.yardstick.share) ? +e.yardstick.share.toFixed(3) : null,
        yardstickMet: e.yardstick.met,
        lessRegressionThanLocal: (row('diredi')?.acc_presumed ?? 0) > (row('local')?.acc_presumed ?? 1)
      })
    }
  } finally {
    await app.dispose()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
