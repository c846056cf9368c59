import type { SpecModel } from '../../../shared/model/spec'
import { argmaxRows } from '../../../shared/argmax'
import { logitDifference, omegaOf, relabelledClasses, subtract, sumCounts, teacherTargets } from '../../ml/reverse-distil'
import type { DatasetSplit } from '../../store/types'
import { addDelta, logits, train } from '../../ml/engine'
import { deltaOf } from '../knowledge'
import { pct } from '../qa'
import { safeName, type ModelRef } from '../setup'
import type { Collection } from './collect'
import type { Round } from './context'

/** What the boards' knowledge says about the users, on the transfer inputs X_t. */
export interface UsersView {
  /** The users' class counts, summed over the accepted knowledge. */
  userCounts: number[]
  /** z_{S_r} on X_t (null without student-form knowledge) and each accepted S_b's, in the order of `studentK`. */
  zSr: Float32Array | null
  zSb: Float32Array[]
  /** Classes the users label otherwise, and X_t with their labels (docs/method.md §12). */
  relabel: Map<number, number>
  xtUser: DatasetSplit
}

/**
 * Reads the users' side from the knowledge: their class mix, the logits of S_r and of every S_b on X_t
 * (once, for the relabelling and for d(x)), and the classes they relabel. For those classes the
 * manufacturer's label of the presumed samples is contested, so steps 5 and 6 use the users' label.
 */
export async function readUsers(r: Round, c: Collection): Promise<UsersView> {
  const xt = r.base.part.presumed
  const k = r.base.part.classes
  const pool = r.deps.ml.pool
  const userCounts = sumCounts(c.accepted.map((a) => a.body.classCounts), k)
  const zSr = c.studentK.length ? await logits(pool, c.sr, xt) : null
  const zSb: Float32Array[] = []
  for (const x of c.studentK) zSb.push(await logits(pool, c.adapted.get(x.body.boardId) as SpecModel, xt))
  const relabel = zSr ? relabelledClasses(argmaxRows(zSr, k), xt.y, k, c.studentK.map((x, j) => ({ pred: argmaxRows(zSb[j], k), counts: x.body.classCounts }))) : new Map<number, number>()
  const yUser = xt.y.map((cl) => relabel.get(cl) ?? cl)
  if (relabel.size) r.ctx.log(`users relabel ${[...relabel].map(([a, b]) => `${a} -> ${b}`).join(', ')} (read from their knowledge)`)
  return { userCounts, zSr, zSb, relabel, xtUser: { x: xt.x, y: yUser, n: xt.n } }
}

/** The teacher after step 5 and the difference d(x) step 6 emphasises. */
export interface Integration {
  teacherNext: ModelRef
  /** d(x) on X_t, [n, k] (zero when the round has no teacher step). */
  d: Float32Array
  /** z_{T_r} on X_t (empty when the round has no teacher step). */
  zTr: Float32Array
}

/**
 * Step 5 (docs/method.md §5, §8): the teacher learns the users' difference on the transfer inputs. The
 * tutors' deltas are added first (scaled); then T is trained toward z_T + d(x), d the omega-weighted
 * logit difference of the boards' S_b from S_r, with lambda on the manufacturer's labels. The result is
 * a new teacher version in the registry (the current one when the round may roll out).
 */
export async function integrate(r: Round, c: Collection, u: UsersView): Promise<Integration> {
  const { deps, base, start, mode, ctx, id } = r
  const { settings: st, scenario } = base
  const pool = deps.ml.pool
  const xt = base.part.presumed
  const n = xt.n
  const k = base.part.classes
  let teacherNext: ModelRef = start.teacher
  let d: Float32Array = new Float32Array(n * k)
  // T_r's logits on the transfer inputs (only the teacher steps need them).
  const zTr = mode.teacherStep ? await logits(pool, start.teacher.model, xt) : new Float32Array(0)
  if (!mode.teacherStep) return { teacherNext, d, zTr }
  let t = start.teacher.model
  if (c.tutorK.length) {
    const om = omegaOf(c.tutorK.map((x) => x.body.nTrain))
    let w = t.weights
    c.tutorK.forEach((kn, j) => (w = addDelta(w, deltaOf(kn), st.tutorScale * om[j])))
    t = { spec: t.spec, weights: w }
    ctx.log(`teacher: added the tutors' delta of ${c.tutorK.length} boards (scale ${st.tutorScale})`)
  }
  if (u.zSr) {
    d = logitDifference(u.zSb, u.zSr, omegaOf(c.studentK.map((x) => x.body.nTrain)))
    const zT = t === start.teacher.model ? zTr : await logits(pool, t, xt)
    const target = teacherTargets(zT, d)
    ctx.log(`teacher: reverse distillation of ${c.studentK.length} boards' difference on ${n} transfer inputs (lambda ${st.lambda}, ${st.updateEpochs} epochs)`)
    t = await train(pool, { spec: t.spec, init: t.weights, data: u.xtUser, targetLogits: target, alpha: st.lambda / (1 + st.lambda), tau: 4, epochs: st.updateEpochs, lr: 5e-4, seed: scenario.seed + 100 * mode.number, signal: ctx.signal })
  }
  const testAcc = await r.vp.acc(t)
  const rec = await deps.registry.models.put('teacher', t, {
    name: `${safeName(scenario.name)}-t-${id.slice(6)}`,
    lineage: { parentId: start.teacher.id, datasetId: base.ds.record.id, knowledge: c.accepted.map((a) => `${id}/${a.body.boardId}`) },
    metrics: { testAcc },
    meta: { round: id, scenario: scenario.name, lambda: st.lambda, tutorBoards: c.tutorK.map((a) => a.body.boardId) }
  })
  teacherNext = { id: rec.id, model: t }
  if (mode.rollOut) await deps.teachers.setCurrent(rec.id)
  ctx.log(`teacher ${rec.id}: ${pct(testAcc)} on V_p (was ${pct(await r.vp.acc(start.teacher.model))})`)
  // Only tutors spoke: what the users changed is what the teacher's logits moved by.
  if (!c.studentK.length) d = subtract(await logits(pool, t, xt), zTr)
  return { teacherNext, d, zTr }
}
