import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JobInfo } from '../src/shared/api/jobs'
import type { DistillResult, TeacherTrainResult } from '../src/shared/api/ml'
import { createApp } from '../src/main/app/app'
import { lagMeter } from '../src/main/ml/bench/lag'
import type { Report } from './run'

/**
 * train.mnist: the whole path a user takes, through the API of a real app: the built-in digits
 * (8,000 train / 2,000 test), a teacher trained with the default settings, a student distilled into
 * 32 KB of int8 weights; accuracies on the test split, seconds, and the main thread's event-loop lag
 * while the jobs run. `DIREDI_BENCH_BUDGET_KB` changes the budget.
 */
export async function run(report: Report): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'diredi-bench-train-'))
  const app = await createApp({ dataDir, host: 'cli' })
  const budgetKb = Number(process.env.DIREDI_BENCH_BUDGET_KB ?? 32)
  try {
    await app.router.invoke('datasets.import', { format: 'builtin', builtin: 'mnist' })
    const wait = (j: JobInfo) => app.services.jobs.wait(j.id)
    const lag = lagMeter(10)
    const tj = await wait(await app.router.invoke('teacher.train', { dataset: 'mnist', name: 'bench-teacher' }))
    if (tj.state !== 'succeeded') throw new Error(`teacher job ${tj.state}: ${tj.error?.message}`)
    const t = tj.result as TeacherTrainResult
    const sj = await wait(await app.router.invoke('distill.start', { teacher: 'bench-teacher', dataset: 'mnist', budgetKb, name: 'bench-student' }))
    const loop = lag.stop()
    if (sj.state !== 'succeeded') throw new Error(`distill job ${sj.state}: ${sj.error?.message}`)
    const s = sj.result as DistillResult
    report({
      bench: 'train.mnist',
      dataset: 'mnist 8000/2000',
      teacher: { testAccuracy: t.testAccuracy, epochs: t.epochs, ended: t.ended, seconds: +t.seconds.toFixed(1), params: t.model.params },
      student: {
        budgetKb,
        architecture: s.plan.name,
        weightsKb: s.plan.footprint.weightsKb,
        ramKb: s.plan.footprint.ramKb,
        testAccuracy: s.testAccuracy,
        teacherAgreement: s.agreement,
        epochs: s.epochs,
        ended: s.ended,
        seconds: +s.seconds.toFixed(1)
      },
      backend: t.backend,
      workers: t.workers,
      eventLoopLagMs: { max: loop.maxMs, p99: loop.p99Ms, ticks: loop.ticks, intervalMs: 10 }
    })
  } finally {
    await app.dispose()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
