import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { join, resolve } from 'node:path'
import { METHODS, type ExperimentReport, type ExperimentRequest, type MethodId, type MethodRow } from '../../shared/api/diredi'
import type { SpecModel } from '../../shared/model/spec'
import { writeFileAtomic } from '../core/atomic'
import { experimentChartSvg } from './chart'
import { addDelta, labels, logits, mean, shareRight, train, weightShapes } from '../ml/engine'
import { evalBoards, openLabFleet, rollOut, trialEval } from './fleet-ops'
import type { BoardSession } from '../boards/session'
import { collectKnowledge } from './knowledge'
import { pct, perClassAccuracy } from './qa'
import { deltaOf, runRound, type RoundStart } from './round'
import { overridesOf, type RoundJobDeps } from './job-deps'
import { artifactFor, prepareBase, safeName, type Base } from './setup'
import { KnowledgeInbox } from './validate'
import { decodeArtifact, dequantizeModel } from '../../shared/int8'

export interface ExperimentCtx {
  signal: AbortSignal
  jobId: string | null
  log(line: string): void
  progress(f: number, metrics?: Record<string, number>): void
}


/**
 * The experiment harness (docs/method.md §10): every method on the same scenario, data, seed and
 * student budget, each starting from the same T_0 and S_0 on the same virtual boards. Users' accuracy is
 * what the boards measure on their own test data (for `local`, the adapted model they keep); V_p figures
 * are the console's. The yardstick is DiReDi's gain over `none` against the larger of oracle's and local's.
 */
export async function runExperiment(deps: RoundJobDeps, p: ExperimentRequest, ctx: ExperimentCtx): Promise<ExperimentReport> {
  const startedAt = new Date().toISOString()
  const id = `exp-${startedAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`
  const { scenario, file } = await deps.library.load(p.scenario)
  const rounds = p.rounds ?? 1
  const methods = METHODS.filter((m) => !p.methods || p.methods.includes(m) || m === 'none')
  const base0 = await prepareBase(deps, scenario, file, { signal: ctx.signal, log: (l) => ctx.log(l), overrides: overridesOf(p) })
  // Every board of the experiment is a gateway, so the tutor form can run on the same boards and data.
  const base: Base = { ...base0, labName: `${scenario.name}.experiment`, gateways: true }
  const pool = deps.ml.pool
  const vp = base.part.validation
  const s0Pred = await labels(pool, base.student0.model, vp)
  const s0PerClass = perClassAccuracy(vp.y, s0Pred, base.part.classes)
  /** A model's V_p accuracy and its largest per-class drop against S_0, from one pass over V_p. */
  const onVp = async (m: SpecModel) => {
    const pred = await labels(pool, m, vp)
    const after = perClassAccuracy(vp.y, pred, base.part.classes)
    return { acc: shareRight(pred, vp.y), drop: Math.max(0, ...s0PerClass.map((b, c) => (Number.isFinite(b) ? (b - after[c]) * 100 : 0))) }
  }
  const declared = new Map(scenario.boards.map((b) => [b.id, b.adapt === 'tutor' || !b.adapt ? ('all' as const) : b.adapt]))
  const start0: RoundStart = { teacher: base.teacher0, student: base.student0, artifact: base.artifact0 }
  const perRound: MethodRow[] = []
  const steps = methods.reduce((a, m) => a + (['delta-avg', 'diredi', 'diredi-tutor'].includes(m) ? rounds : 1), 0)
  let step = 0
  const row = (method: MethodId, round: number, r: Omit<MethodRow, 'method' | 'round'>) => {
    const x: MethodRow = { method, round, ...r }
    perRound.push(x)
    ctx.log(`${method}${round > 1 || ['delta-avg', 'diredi', 'diredi-tutor'].includes(method) ? ` round ${round}` : ''}: acc_user ${pct(x.acc_user)}, acc_presumed ${pct(x.acc_presumed)}, max_class_drop ${x.max_class_drop.toFixed(1)} pts, raw samples ${x.raw_samples_uploaded}, knowledge ${x.knowledge_bytes} B, ${x.seconds.toFixed(0)} s${x.qa_passed === null ? '' : `, QA ${x.qa_passed ? 'passed' : 'failed'}`}`)
  }
  const tick = () => ctx.progress(++step / steps, { step, steps })
  const fleet = await openLabFleet(deps, base)

  for (const method of methods) {
    if (ctx.signal.aborted) break
    const t0 = performance.now()
    const secs = () => (performance.now() - t0) / 1000
    ctx.log(`--- ${method} ---`)
    if (method === 'none') {
      await rollOut(deps, fleet, base.artifact0, ctx.signal)
      const acc = await evalBoards(deps, fleet)
      row('none', 1, { acc_user: mean([...acc.values()]), acc_presumed: shareRight(s0Pred, vp.y), max_class_drop: 0, raw_samples_uploaded: 0, knowledge_bytes: 0, seconds: secs(), qa_passed: null, note: 'S_0 stays on the boards' })
      tick()
    } else if (method === 'local') {
      await rollOut(deps, fleet, base.artifact0, ctx.signal)
      const sr = dequantizeModel(decodeArtifact(base.artifact0.bytes))
      const shapes = weightShapes(sr.spec)
      const inbox = new KnowledgeInbox({ keyOf: (b) => fleet.keys.get(b) ?? null, shapesOf: (h) => (h === base.artifact0.hash ? shapes : null), maxNorm: 1e6 })
      const users: number[] = []
      const presumed: number[] = []
      const drops: number[] = []
      for (const bid of fleet.ids) {
        const form = declared.get(bid) ?? 'all'
        const st = base.settings
        const session = fleet.sessions.get(bid) as BoardSession
        const v = await collectKnowledge(session, inbox, new Uint8Array(Buffer.from(base.artifact0.hash, 'hex')), { layers: form, epochs: st.boardEpochs, lr: form === 'head' ? st.boardLrHead : st.boardLr, mu: 0, seed: scenario.seed + 1 })
        if (!v.ok) throw new Error(`${bid}: ${v.reason}`)
        const sb = { spec: sr.spec, weights: addDelta(sr.weights, deltaOf(v.knowledge)) }
        users.push(v.knowledge.body.accAfter)
        const f = await onVp(sb)
        presumed.push(f.acc)
        drops.push(f.drop)
      }
      row('local', 1, { acc_user: mean(users), acc_presumed: mean(presumed), max_class_drop: Math.max(...drops), raw_samples_uploaded: 0, knowledge_bytes: 0, seconds: secs(), qa_passed: null, note: 'each board keeps its fine-tuned S_0 (no proximal anchor, no QA); V_p figures are the mean over boards' })
      tick()
    } else if (method === 'oracle') {
      const part = base.part
      const per = part.inputShape.reduce((a, b) => a * b, 1)
      const nU = part.boards.reduce((a, b) => a + b.train.n, 0)
      const n = part.presumed.n + nU
      const x = new Float32Array(n * per)
      const y = new Int32Array(n)
      x.set(part.presumed.x)
      y.set(part.presumed.y)
      let at = part.presumed.n
      for (const b of part.boards) {
        x.set(b.train.x, at * per)
        y.set(b.train.y, at)
        at += b.train.n
      }
      // U_b weighted to half of the loss: each presumed sample n/(2|D_p|), each user sample n/(2|U|).
      const w = new Float32Array(n)
      for (let i = 0; i < n; i++) w[i] = i < part.presumed.n ? n / (2 * part.presumed.n) : n / (2 * nU)
      const mix = { x, y, n }
      const st = base.settings
      ctx.log(`oracle: the console takes ${nU} raw user samples (a privacy violation, for reference only)`)
      const t = await train(pool, { spec: base.teacher0.model.spec, init: base.teacher0.model.weights, data: mix, sampleWeights: w, epochs: st.updateEpochs * 2, lr: 5e-4, seed: scenario.seed + 7, signal: ctx.signal })
      const zt = await logits(pool, t, mix)
      const s = await train(pool, { spec: base.student0.model.spec, init: base.student0.model.weights, data: mix, targetLogits: zt, alpha: 0.3, tau: 4, sampleWeights: w, epochs: st.redistilEpochs, lr: 1e-3, seed: scenario.seed + 8, signal: ctx.signal })
      const rec = await deps.registry.models.put('student', s, { name: `${safeName(scenario.name)}-oracle-${id.slice(4)}`, lineage: { teacherId: base.teacher0.id, parentId: base.student0.id, datasetId: base.ds.record.id }, meta: { experiment: id, method: 'oracle' } })
      const art = await artifactFor(deps, { id: rec.id, model: s }, part, ctx.signal)
      await rollOut(deps, fleet, base.artifact0, ctx.signal)
      const acc = await trialEval(deps, fleet, art.bytes, ctx.signal)
      const f = await onVp(s)
      row('oracle', 1, { acc_user: mean([...acc.values()]), acc_presumed: f.acc, max_class_drop: f.drop, raw_samples_uploaded: nU, knowledge_bytes: nU * (per * 4 + 4), seconds: secs(), qa_passed: null, note: 'raw user data uploaded; knowledge_bytes counts those bytes' })
      tick()
    } else {
      let start = start0
      for (let r = 1; r <= rounds; r++) {
        const out = await runRound(
          deps, base, start,
          { form: (b) => (method === 'diredi-tutor' ? 'tutor' : declared.get(b) ?? 'all'), teacherStep: method !== 'delta-avg', rollOut: false, number: r },
          { signal: ctx.signal, jobId: ctx.jobId, log: (l) => ctx.log(`  ${l}`), progress: (f) => ctx.progress((step + f) / steps, { step, steps }) }
        )
        await deps.records.putRound(out.report)
        const passed = out.report.qa?.passed ?? false
        const inService = start.student.id === base.student0.id ? 'S_0' : `round ${r - 1}'s student`
        // delta-avg has no gate: its average is what the boards get. DiReDi's boards get a candidate only through the gate.
        const takes = method === 'delta-avg' ? out.candidate !== null : passed
        const model = takes && out.candidate ? out.candidate.model : start.student.model
        const accUser = takes ? mean(out.report.boards.map((b) => b.accCandidate ?? NaN).filter(Number.isFinite)) : out.report.metrics.accUserBefore
        const f = await onVp(model)
        row(method, r, {
          acc_user: accUser, acc_presumed: f.acc, max_class_drop: f.drop,
          raw_samples_uploaded: out.report.ledger.totals.rawSamplesUploaded, knowledge_bytes: out.knowledgeBytes, seconds: secs(),
          qa_passed: method === 'delta-avg' ? null : passed,
          note: method === 'delta-avg'
            ? `round ${out.report.id}; QA would have ${passed ? 'passed' : 'failed'}`
            : passed
              ? `round ${out.report.id}`
              : `round ${out.report.id}: the gate refused its candidate (${out.report.qa?.reasons.join('; ') ?? out.report.summary}); the boards keep ${inService}`
        })
        if (takes && out.candidate && out.candidateArtifact) start = { teacher: out.next.teacher, student: out.candidate, artifact: out.candidateArtifact }
        else start = { ...start, teacher: out.next.teacher }
        step++
        ctx.progress(step / steps, { step, steps })
      }
    }
  }

  const last = (m: MethodId) => perRound.filter((r) => r.method === m).sort((a, b) => b.round - a.round)[0]
  const table = methods.map(last).filter((r): r is MethodRow => Boolean(r))
  const none = last('none')?.acc_user ?? NaN
  const gain = (m: MethodId) => (last(m) ? last(m).acc_user - none : NaN)
  const ref = Math.max(Number.isFinite(gain('oracle')) ? gain('oracle') : -Infinity, Number.isFinite(gain('local')) ? gain('local') : -Infinity)
  const share = ref > 0 ? gain('diredi') / ref : NaN
  const report: ExperimentReport = {
    id, scenario: scenario.name, dataset: base.ds.record.name, seed: scenario.seed, rounds, startedAt, endedAt: new Date().toISOString(),
    table, perRound,
    yardstick: { gainDiredi: gain('diredi'), gainLocal: gain('local'), gainOracle: gain('oracle'), share, met: Number.isFinite(share) && share >= 0.8 },
    files: []
  }
  if (p.out) {
    const dir = resolve(p.out)
    await fs.mkdir(dir, { recursive: true })
    const json = join(dir, `${scenario.name}.experiment.json`)
    const svg = join(dir, `${scenario.name}.experiment.svg`)
    report.files = [json, svg]
    await writeFileAtomic(json, JSON.stringify(report, null, 2))
    await writeFileAtomic(svg, experimentChartSvg(report))
  }
  await deps.records.putExperiment(report)
  return report
}
