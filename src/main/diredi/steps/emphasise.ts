import type { SpecModel } from '../../../shared/model/spec'
import { classCounts, classWeights, omegaOf, sampleWeights } from '../../ml/reverse-distil'
import { logits, train, weightedMean } from '../../ml/engine'
import { artifactFor, safeName, type ArtifactRef, type ModelRef } from '../setup'
import type { Collection } from './collect'
import type { Round } from './context'
import type { Integration, UsersView } from './integrate'

/**
 * Step 6 (docs/method.md §6): re-distil the student from T_{r+1}, warm from the omega-weighted mean of the
 * boards' S_b with a proximal anchor to it, each sample weighted by w(x) = 1 + beta ||d(x)|| / mean ||d||
 * and each class moved toward the users' mix by gamma. Without a teacher step (the delta-avg baseline)
 * the candidate is that mean itself. The candidate goes into the registry and is quantised.
 */
export async function emphasise(r: Round, c: Collection, u: UsersView, g: Integration): Promise<{ candidate: ModelRef; candidateArtifact: ArtifactRef }> {
  const { deps, base, start, mode, ctx, id } = r
  const { settings: st, scenario, part } = base
  const pool = deps.ml.pool
  const n = part.presumed.n
  const k = part.classes
  const weights = sampleWeights(g.d, n, k, st.beta)
  const perClass = classWeights(classCounts(u.xtUser.y, k), u.userCounts, st.gamma)
  const warm = c.studentK.length ? { spec: c.sr.spec, weights: weightedMean(c.studentK.map((x) => (c.adapted.get(x.body.boardId) as SpecModel).weights), omegaOf(c.studentK.map((x) => x.body.nTrain))) } : start.student.model
  let candidateModel: SpecModel
  if (mode.teacherStep) {
    const zT1 = g.teacherNext.id === start.teacher.id ? g.zTr : await logits(pool, g.teacherNext.model, part.presumed)
    ctx.log(`student: re-distilling from the new teacher, warm from ${c.studentK.length ? `the mean of ${c.studentK.length} adapted students` : 'S_r'} (beta ${st.beta}, gamma ${st.gamma}, ${st.redistilEpochs} epochs)`)
    candidateModel = await train(pool, { spec: c.sr.spec, init: warm.weights, anchor: warm.weights, mu: st.redistilMu, data: u.xtUser, targetLogits: zT1, alpha: 0.3, tau: 4, sampleWeights: weights, classWeights: perClass, epochs: st.redistilEpochs, lr: 1e-3, seed: scenario.seed + 200 * mode.number, signal: ctx.signal })
  } else {
    candidateModel = warm
    ctx.log(`student: the omega-weighted mean of ${c.studentK.length} boards' deltas folded into S_r (no teacher)`)
  }
  const cRec = await deps.registry.models.put('student', candidateModel, {
    name: `${safeName(scenario.name)}-s-${id.slice(6)}`,
    lineage: { teacherId: g.teacherNext.id, parentId: start.student.id, datasetId: base.ds.record.id, knowledge: c.accepted.map((a) => `${id}/${a.body.boardId}`) },
    metrics: { testAcc: await r.vp.acc(candidateModel) },
    meta: { round: id, scenario: scenario.name, beta: st.beta, gamma: st.gamma }
  })
  const candidate = { id: cRec.id, model: candidateModel }
  const candidateArtifact = await artifactFor(deps, candidate, part, ctx.signal)
  ctx.progress(0.82)
  return { candidate, candidateArtifact }
}
