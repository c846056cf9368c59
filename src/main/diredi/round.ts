import { randomUUID } from 'node:crypto'
import type { InboxRecord, RoundBoard, RoundReport } from '../../shared/api/diredi'
import { decodeArtifact, dequantizeModel } from '../../shared/int8'
import type { SpecModel } from '../../shared/model/spec'
import type { SignedKnowledge } from '../../shared/wire/knowledge'
import type { Registry } from '../store/types'
import type { MlService } from '../ml/service'
import { argmaxRows } from '../../shared/argmax'
import { addDelta, labels, logits, mean, shareRight, train, weightedMean, weightShapes } from '../ml/engine'
import { evalBoards, listen, openLabFleet, requestKnowledge, rollOut, stageTeacher, trialEval, type FleetDeps, type LabFleet } from './fleet-ops'
import { PrivacyLedger } from './ledger'
import { pct, qaGate } from './qa'
import { artifactFor, safeName, type ArtifactRef, type Base, type ModelRef } from './setup'
import type { TeacherLines } from './teachers'
import { KnowledgeInbox } from './validate'

export interface RoundDeps extends FleetDeps {
  registry: Registry
  ml: MlService
  teachers: TeacherLines
}

export interface RoundCtx {
  signal: AbortSignal
  jobId: string | null
  log(line: string): void
  /** 0..1 within this round. */
  progress(f: number, metrics?: Record<string, number>): void
}

/** Where a round starts: the teacher T_r, the student S_r in service and its artifact A_r. */
export interface RoundStart {
  teacher: ModelRef
  student: ModelRef
  artifact: ArtifactRef
}

/** Which form each board runs (DIREDI.md step 3, or the tutor form), and whether the gate decides (or the round is a baseline). */
export interface RoundMode {
  form(boardId: string): 'head' | 'all' | 'tutor'
  /** false: skip teacher and QA (the delta-avg baseline folds deltas into the student directly). */
  teacherStep: boolean
  /** Roll a passing candidate out (true), or leave the boards as they were (an experiment measures instead). */
  rollOut: boolean
  number: number
  /** Overrides of mu for the boards (local baseline: 0). */
  mu?: number
}

export interface RoundOutput {
  report: RoundReport
  /** The state after the round: what the next one starts from. */
  next: RoundStart
  candidate: ModelRef | null
  candidateArtifact: ArtifactRef | null
  /** Each accepted board's adapted student S_b (rebuilt from its delta), for the baselines. */
  adapted: Map<string, SpecModel>
  knowledgeBytes: number
}

/** The parameter difference a knowledge message carries, by tensor name. */
export const deltaOf = (k: SignedKnowledge) => new Map(k.body.tensors.map((t) => [t.name, Float32Array.from(t.values)]))

/**
 * One DiReDi round (DIREDI.md steps 2-7) on the scenario's virtual boards over the board link:
 * dispatch S_r, every board adapts and sends signed knowledge, the inbox judges it, the teacher learns
 * the users' difference (a new teacher version), the student is re-distilled with emphasis from the
 * boards' adapted weights, the QA gate decides with the boards' own trial measurements, and a pass is
 * rolled out through the fleet layer. Every byte from each board is in the round's privacy ledger.
 */
export async function runRound(deps: RoundDeps, base: Base, start: RoundStart, mode: RoundMode, ctx: RoundCtx): Promise<RoundOutput> {
  const t0 = performance.now()
  const startedAt = new Date().toISOString()
  const id = `round-${startedAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`
  const { part, settings: st, scenario } = base
  const pool = deps.ml.pool
  const ledger = new PrivacyLedger(id)
  const fleet = await openLabFleet(deps, base)
  const stopListening = listen(fleet, ledger)
  const per = part.inputShape.reduce((a, b) => a * b, 1)
  for (const b of part.boards) ledger.privateData(b.id, (b.train.n + b.test.n) * (per * 4 + 4))
  const rows = new Map<string, RoundBoard>(part.boards.map((b) => [b.id, { boardId: b.id, adapt: mode.form(b.id), nTrain: b.train.n, nTest: b.test.n, accBefore: null, accAdapted: null, accCandidate: null, knowledgeBytes: 0, error: null }]))
  try {
    // Step 2: S_r on every board (a no-op where it already runs).
    ctx.log(`round ${mode.number}: dispatching ${start.artifact.id} (S_r ${start.student.id}) to ${fleet.ids.length} boards`)
    await rollOut(deps, fleet, start.artifact, ctx.signal)
    const before = await evalBoards(deps, fleet)
    for (const [b, a] of before) (rows.get(b) as RoundBoard).accBefore = a
    ctx.progress(0.08)

    // Step 3: knowledge from every board; step 4: the inbox judges it.
    const teacherArtifact = fleet.ids.some((b) => mode.form(b) === 'tutor') ? await artifactFor(deps, start.teacher, part, ctx.signal) : null
    const known = new Map([[start.artifact.hash, weightShapes(start.student.model.spec)]])
    if (teacherArtifact) known.set(teacherArtifact.hash, weightShapes(start.teacher.model.spec))
    const inbox = new KnowledgeInbox({ keyOf: (b) => fleet.keys.get(b) ?? null, shapesOf: (h) => known.get(h) ?? null, maxNorm: 1000 })
    let done = 0
    for (const bid of fleet.ids) {
      const form = mode.form(bid)
      const row = rows.get(bid) as RoundBoard
      try {
        let baseHash = Buffer.from(start.artifact.hash, 'hex')
        if (form === 'tutor') {
          await stageTeacher(fleet, bid, (teacherArtifact as ArtifactRef).bytes, ctx.signal)
          baseHash = Buffer.from((teacherArtifact as ArtifactRef).hash, 'hex')
        }
        const lr = form === 'head' ? st.boardLrHead : st.boardLr
        ctx.log(`${bid}: adapting (${form}, ${st.boardEpochs} epochs, lr ${lr}, mu ${mode.mu ?? st.mu})`)
        const { blob, nonce } = await requestKnowledge(
          fleet, bid, new Uint8Array(baseHash),
          { layers: form, epochs: st.boardEpochs, lr, mu: mode.mu ?? st.mu, clip: st.clip, sigma: st.sigma, seed: scenario.seed + mode.number },
          (e, n) => ctx.progress(0.08 + (0.4 * (done + e / n)) / fleet.ids.length)
        )
        const v = inbox.submit(blob, { boardId: bid, nonce })
        if (v.ok) {
          row.knowledgeBytes = blob.length
          row.accAdapted = v.knowledge.body.accAfter
          ledger.knowledge(bid, blob.length)
          ctx.log(`${bid}: knowledge accepted (${blob.length} bytes, |delta| ${v.norm.toFixed(3)}, board accuracy ${pct(v.knowledge.body.accBefore)} -> ${pct(v.knowledge.body.accAfter)})`)
        } else ctx.log(`${bid}: knowledge refused (${v.code}): ${v.reason}`)
      } catch (e) {
        if (ctx.signal.aborted) throw e
        row.error = (e as Error).message
        inbox.failed(bid, row.error)
        ctx.log(`${bid}: no knowledge: ${row.error}`)
      }
      done++
    }
    ctx.progress(0.48)
    const accepted = inbox.accepted
    const inboxRecords: InboxRecord[] = inbox.log.map((e) => {
      const k = e.accepted ? accepted.find((a) => a.body.boardId === e.boardId) : undefined
      return { ...e, ...(k ? { deltaNorm: k.body.deltaNorm, nTrain: k.body.nTrain, accBefore: k.body.accBefore, accAfter: k.body.accAfter, form: k.body.layers === 'tutor' ? ('tutor' as const) : ('student' as const) } : {}) }
    })

    // S_b = S_r + delta_b, from the very bytes the boards started from.
    const sr = dequantizeModel(decodeArtifact(start.artifact.bytes))
    const studentK = accepted.filter((k) => k.body.layers !== 'tutor')
    const tutorK = accepted.filter((k) => k.body.layers === 'tutor')
    const adapted = new Map(studentK.map((k) => [k.body.boardId, { spec: sr.spec, weights: addDelta(sr.weights, deltaOf(k)) }]))
    const knowledgeBytes = accepted.reduce((a, k) => a + (rows.get(k.body.boardId)?.knowledgeBytes ?? 0), 0)
    const finish = async (r: Omit<RoundReport, 'id' | 'scenario' | 'round' | 'jobId' | 'startedAt' | 'endedAt' | 'seconds' | 'boards' | 'inbox' | 'ledger' | 'privacy'>, next: RoundStart, candidate: ModelRef | null, candidateArtifact: ArtifactRef | null): Promise<RoundOutput> => {
      const report: RoundReport = {
        id, scenario: scenario.name, round: mode.number, jobId: ctx.jobId, startedAt, endedAt: new Date().toISOString(), seconds: +((performance.now() - t0) / 1000).toFixed(1),
        boards: [...rows.values()], inbox: inboxRecords, ledger: ledger.snapshot(), privacy: privacyOf(st.clip, st.sigma), ...r
      }
      return { report, next, candidate, candidateArtifact, adapted, knowledgeBytes }
    }
    // Each model's V_p predictions are computed once; QA and every V_p figure read them.
    const vp = part.validation
    const vpPreds = new Map<SpecModel, Promise<Int32Array>>()
    const vpPred = (m: SpecModel) => vpPreds.get(m) ?? (vpPreds.set(m, labels(pool, m, vp)), vpPreds.get(m) as Promise<Int32Array>)
    const vpAcc = async (m: SpecModel) => shareRight(await vpPred(m), vp.y)
    const accPresumedBefore = await vpAcc(start.student.model)
    const accUserBefore = mean([...before.values()])
    const unchanged = (outcome: RoundReport['outcome'], summary: string) =>
      finish({ outcome, summary, teacherBefore: start.teacher.id, teacherAfter: null, studentBefore: start.student.id, candidate: null, artifact: null, qa: null, rollout: null, metrics: { accUserBefore, accUserAfter: accUserBefore, accPresumedBefore, accPresumedAfter: accPresumedBefore, maxClassDropPts: 0 } }, start, null, null)
    if (!accepted.length) return unchanged('no-knowledge', `no board's knowledge was accepted (${inbox.log.length} messages refused); nothing changed`)

    const xt = part.presumed
    const k = part.classes
    const n = xt.n
    const omegaOf = (ks: SignedKnowledge[]) => {
      const total = ks.reduce((a, x) => a + x.body.nTrain, 0)
      return ks.map((x) => x.body.nTrain / total)
    }
    const userCounts = new Array<number>(k).fill(0)
    for (const a of accepted) a.body.classCounts.forEach((c, i) => (userCounts[i] += c))

    // Classes the users label otherwise (from the knowledge): the manufacturer's label of those presumed
    // samples is contested, so steps 5 and 6 use the users' label for them (a branch for this user group).
    // Logits on the transfer inputs, once: S_r's and each adapted S_b's (for the relabelling and for d(x)).
    const zSr = studentK.length ? await logits(pool, sr, xt) : null
    const zSb: Float32Array[] = []
    for (const x of studentK) zSb.push(await logits(pool, adapted.get(x.body.boardId) as SpecModel, xt))
    const relabel = zSr ? relabelledClasses(argmaxRows(zSr, k), xt.y, k, studentK.map((x, j) => ({ pred: argmaxRows(zSb[j], k), counts: x.body.classCounts }))) : new Map<number, number>()
    const yUser = xt.y.map((c) => relabel.get(c) ?? c)
    const xtUser = { x: xt.x, y: yUser, n }
    if (relabel.size) ctx.log(`users relabel ${[...relabel].map(([a, b]) => `${a} -> ${b}`).join(', ')} (read from their knowledge)`)

    // Step 5: the teacher learns the users' difference d(x) on the transfer inputs (a new version).
    let teacherNext: ModelRef = start.teacher
    let d = new Float32Array(n * k)
    // T_r's logits on the transfer inputs (only the teacher steps need them).
    const zTr = mode.teacherStep ? await logits(pool, start.teacher.model, xt) : new Float32Array(0)
    if (mode.teacherStep) {
      let t = start.teacher.model
      if (tutorK.length) {
        const om = omegaOf(tutorK)
        let w = t.weights
        tutorK.forEach((kn, j) => (w = addDelta(w, deltaOf(kn), st.tutorScale * om[j])))
        t = { spec: t.spec, weights: w }
        ctx.log(`teacher: added the tutors' delta of ${tutorK.length} boards (scale ${st.tutorScale})`)
      }
      if (zSr) {
        const om = omegaOf(studentK)
        zSb.forEach((z, j) => {
          for (let i = 0; i < d.length; i++) d[i] += om[j] * (z[i] - zSr[i])
        })
        const zT = t === start.teacher.model ? zTr : await logits(pool, t, xt)
        const target = new Float32Array(n * k)
        for (let i = 0; i < target.length; i++) target[i] = zT[i] + d[i]
        ctx.log(`teacher: reverse distillation of ${studentK.length} boards' difference on ${n} transfer inputs (lambda ${st.lambda}, ${st.updateEpochs} epochs)`)
        t = await train(pool, { spec: t.spec, init: t.weights, data: xtUser, targetLogits: target, alpha: st.lambda / (1 + st.lambda), tau: 4, epochs: st.updateEpochs, lr: 5e-4, seed: scenario.seed + 100 * mode.number, signal: ctx.signal })
      }
      const testAcc = await vpAcc(t)
      const rec = await deps.registry.models.put('teacher', t, {
        name: `${safeName(scenario.name)}-t-${id.slice(6)}`,
        lineage: { parentId: start.teacher.id, datasetId: base.ds.record.id, knowledge: accepted.map((a) => `${id}/${a.body.boardId}`) },
        metrics: { testAcc },
        meta: { round: id, scenario: scenario.name, lambda: st.lambda, tutorBoards: tutorK.map((a) => a.body.boardId) }
      })
      teacherNext = { id: rec.id, model: t }
      if (mode.rollOut) await deps.teachers.setCurrent(rec.id)
      ctx.log(`teacher ${rec.id}: ${pct(testAcc)} on V_p (was ${pct(await vpAcc(start.teacher.model))})`)
      if (!studentK.length) {
        const z1 = await logits(pool, t, xt)
        d = new Float32Array(n * k)
        for (let i = 0; i < d.length; i++) d[i] = z1[i] - zTr[i]
      }
    }
    ctx.progress(0.68)

    // Step 6: re-distil from T_{r+1}, warm from the boards' adapted students, emphasising where users differ.
    const dn = new Float32Array(n)
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let c = 0; c < k; c++) s += d[i * k + c] ** 2
      dn[i] = Math.sqrt(s)
    }
    const meanD = mean(Array.from(dn)) || 1
    const sampleWeights = dn.map((x) => 1 + (st.beta * x) / meanD)
    const presumedCounts = new Array<number>(k).fill(0)
    for (let i = 0; i < n; i++) presumedCounts[yUser[i]]++
    const userTotal = userCounts.reduce((a, b) => a + b, 0) || 1
    const classWeights = presumedCounts.map((c, i) => (c ? 1 - st.gamma + (st.gamma * (userCounts[i] / userTotal)) / (c / n) : 1))
    const warm = studentK.length ? { spec: sr.spec, weights: weightedMean(studentK.map((x) => (adapted.get(x.body.boardId) as SpecModel).weights), omegaOf(studentK)) } : start.student.model
    let candidateModel: SpecModel
    if (mode.teacherStep) {
      const zT1 = teacherNext.id === start.teacher.id ? zTr : await logits(pool, teacherNext.model, xt)
      ctx.log(`student: re-distilling from the new teacher, warm from ${studentK.length ? `the mean of ${studentK.length} adapted students` : 'S_r'} (beta ${st.beta}, gamma ${st.gamma}, ${st.redistilEpochs} epochs)`)
      candidateModel = await train(pool, { spec: sr.spec, init: warm.weights, anchor: warm.weights, mu: st.redistilMu, data: xtUser, targetLogits: zT1, alpha: 0.3, tau: 4, sampleWeights, classWeights, epochs: st.redistilEpochs, lr: 1e-3, seed: scenario.seed + 200 * mode.number, signal: ctx.signal })
    } else {
      candidateModel = warm
      ctx.log(`student: the omega-weighted mean of ${studentK.length} boards' deltas folded into S_r (no teacher)`)
    }
    const cRec = await deps.registry.models.put('student', candidateModel, {
      name: `${safeName(scenario.name)}-s-${id.slice(6)}`,
      lineage: { teacherId: teacherNext.id, parentId: start.student.id, datasetId: base.ds.record.id, knowledge: accepted.map((a) => `${id}/${a.body.boardId}`) },
      metrics: { testAcc: await vpAcc(candidateModel) },
      meta: { round: id, scenario: scenario.name, beta: st.beta, gamma: st.gamma }
    })
    const candidate = { id: cRec.id, model: candidateModel }
    const candidateArtifact = await artifactFor(deps, candidate, part, ctx.signal)
    ctx.progress(0.82)

    // Step 7: the QA gate, with each board's own measurement of the candidate on trial.
    ctx.log('QA: the boards try the candidate on trial (reverted after measuring)')
    const trial = await trialEval(deps, fleet, candidateArtifact.bytes, ctx.signal)
    for (const [b, a] of trial) (rows.get(b) as RoundBoard).accCandidate = a
    const relabelled = [...relabel.keys()]
    const qa = qaGate({
      ids: { candidate: candidate.id, baseStudent: start.student.id, teacherBefore: start.teacher.id, teacherAfter: teacherNext.id },
      classes: k,
      vp: { y: vp.y, studentBefore: await vpPred(start.student.model), studentAfter: await vpPred(candidateModel), teacherBefore: await vpPred(start.teacher.model), teacherAfter: await vpPred(teacherNext.model) },
      userClassCounts: userCounts,
      relabelledClasses: relabelled,
      int8Agreement: candidateArtifact.agreement,
      boards: fleet.ids.map((b) => ({ boardId: b, before: before.get(b) ?? 0, after: trial.get(b) ?? null })),
      policy: st.qa
    })
    ctx.progress(0.92)
    const accPresumedCand = await vpAcc(candidateModel)
    const accUserCand = mean([...trial.values()])
    const figures = `users ${pct(accUserBefore)} -> ${pct(accUserCand)}, V_p ${pct(accPresumedBefore)} -> ${pct(accPresumedCand)}`
    if (!qa.passed || !mode.rollOut) {
      ctx.log(qa.passed ? `QA passed (${figures}); not rolled out (measured only)` : `QA failed: ${qa.reasons.join('; ')}`)
      return finish(
        {
          outcome: qa.passed ? 'qa-passed' : 'qa-failed',
          summary: qa.passed ? `QA passed (${figures}); measured only, not rolled out` : `QA failed (${qa.reasons.length} checks): ${qa.reasons.join('; ')}; nothing was flashed`,
          teacherBefore: start.teacher.id, teacherAfter: teacherNext.id, studentBefore: start.student.id, candidate: candidate.id, artifact: null, qa, rollout: null,
          metrics: { accUserBefore, accUserAfter: qa.passed ? accUserCand : accUserBefore, accPresumedBefore, accPresumedAfter: qa.passed ? accPresumedCand : accPresumedBefore, maxClassDropPts: qa.passed ? qa.maxClassDropPts : 0 }
        },
        qa.passed ? { teacher: teacherNext, student: candidate, artifact: candidateArtifact } : { ...start, teacher: teacherNext },
        candidate, candidateArtifact
      )
    }
    ctx.log(`QA passed (${figures}); rolling ${candidateArtifact.id} out`)
    const rollout = await rollOut(deps, fleet, candidateArtifact, ctx.signal)
    ctx.progress(1)
    return finish(
      {
        outcome: 'rolled-out', summary: `rolled out to ${rollout.succeeded} of ${rollout.total} boards: ${figures}`,
        teacherBefore: start.teacher.id, teacherAfter: teacherNext.id, studentBefore: start.student.id, candidate: candidate.id, artifact: candidateArtifact.id, qa,
        rollout: { boards: rollout.total, succeeded: rollout.succeeded, failed: rollout.failed },
        metrics: { accUserBefore, accUserAfter: accUserCand, accPresumedBefore, accPresumedAfter: accPresumedCand, maxClassDropPts: qa.maxClassDropPts }
      },
      { teacher: teacherNext, student: candidate, artifact: candidateArtifact },
      candidate, candidateArtifact
    )
  } finally {
    stopListening()
  }
}

/** The (epsilon, delta) of one round's Gaussian mechanism on a clipped delta; null when clipping is off. */
export function privacyOf(clip: number, sigma: number): RoundReport['privacy'] {
  if (!(clip > 0)) return null
  const delta = 1e-5
  const c = Math.sqrt(2 * Math.log(1.25 / delta))
  // The classic bound holds for epsilon <= 1 (sigma >= c); below that no epsilon is claimed.
  return { clip, sigma, delta, epsilon: sigma >= c ? c / sigma : null }
}

/**
 * Classes the users label differently (a preference shift), read from the knowledge alone: a class is
 * relabelled when a board's adapted student moves most of the presumed samples of that class, which S_r
 * classifies right, to one other class, and the board itself holds no sample labelled with it. A board
 * that holds fewer than half of the classes (a prior shift) moves every class it never saw; that is
 * forgetting, not a label of its user's, so such boards name no relabelled class.
 */
export function relabelledClasses(srPred: Int32Array, y: Int32Array, classes: number, boards: Array<{ pred: Int32Array; counts: number[] }>): Map<number, number> {
  const out = new Map<number, number>()
  for (const { pred: p, counts } of boards) {
    if (counts.filter((c) => c > 0).length * 2 < classes) continue
    for (let c = 0; c < classes; c++) {
      if (counts[c] > 0) continue
      const moved = new Array<number>(classes).fill(0)
      let right = 0
      for (let i = 0; i < y.length; i++) {
        if (y[i] !== c || srPred[i] !== c) continue
        right++
        if (p[i] !== c) moved[p[i]]++
      }
      const top = Math.max(...moved)
      if (right && top > right / 2 && !out.has(c)) out.set(c, moved.indexOf(top))
    }
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]))
}

export type { LabFleet }
