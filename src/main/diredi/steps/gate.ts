import type { RoundBoard } from '../../../shared/api/diredi'
import { mean } from '../../ml/engine'
import { rollOut, trialEval } from '../fleet-ops'
import { pct, qaGate } from '../qa'
import type { ArtifactRef, ModelRef } from '../setup'
import type { Collection } from './collect'
import type { Round, RoundOutput } from './context'
import type { Integration, UsersView } from './integrate'
import { finishRound } from './report'

/** The users' and V_p accuracies of S_r when the round began. */
export interface Before {
  boards: Map<string, number>
  accUserBefore: number
  accPresumedBefore: number
}

/**
 * Step 7 (docs/method.md §7): every board measures the candidate on trial (flashed, measured, reverted),
 * the QA gate decides on V_p, the boards' figures and int8 agreement, and a pass is rolled out through the
 * fleet layer when the round may roll out. A fail is a report; nothing is flashed.
 */
export async function gate(r: Round, c: Collection, u: UsersView, g: Integration, b: Before, candidate: ModelRef, candidateArtifact: ArtifactRef): Promise<RoundOutput> {
  const { deps, fleet, start, mode, ctx, base } = r
  const { teacherNext } = g
  const { accUserBefore, accPresumedBefore } = b
  ctx.log('QA: the boards try the candidate on trial (reverted after measuring)')
  const trial = await trialEval(deps, fleet, candidateArtifact.bytes, ctx.signal)
  for (const [bid, a] of trial) (r.rows.get(bid) as RoundBoard).accCandidate = a
  const qa = qaGate({
    ids: { candidate: candidate.id, baseStudent: start.student.id, teacherBefore: start.teacher.id, teacherAfter: teacherNext.id },
    classes: base.part.classes,
    vp: { y: r.vp.data.y, studentBefore: await r.vp.pred(start.student.model), studentAfter: await r.vp.pred(candidate.model), teacherBefore: await r.vp.pred(start.teacher.model), teacherAfter: await r.vp.pred(teacherNext.model) },
    userClassCounts: u.userCounts,
    relabelledClasses: [...u.relabel.keys()],
    int8Agreement: candidateArtifact.agreement,
    boards: fleet.ids.map((bid) => ({ boardId: bid, before: b.boards.get(bid) ?? 0, after: trial.get(bid) ?? null })),
    policy: base.settings.qa
  })
  ctx.progress(0.92)
  const accPresumedCand = await r.vp.acc(candidate.model)
  const accUserCand = mean([...trial.values()])
  const figures = `users ${pct(accUserBefore)} -> ${pct(accUserCand)}, V_p ${pct(accPresumedBefore)} -> ${pct(accPresumedCand)}`
  const ids = { teacherBefore: start.teacher.id, teacherAfter: teacherNext.id, studentBefore: start.student.id, candidate: candidate.id }
  if (!qa.passed || !mode.rollOut) {
    ctx.log(qa.passed ? `QA passed (${figures}); not rolled out (measured only)` : `QA failed: ${qa.reasons.join('; ')}`)
    return finishRound(
      r,
      c,
      {
        outcome: qa.passed ? 'qa-passed' : 'qa-failed',
        summary: qa.passed ? `QA passed (${figures}); measured only, not rolled out` : `QA failed (${qa.reasons.length} checks): ${qa.reasons.join('; ')}; nothing was flashed`,
        ...ids,
        artifact: null,
        qa,
        rollout: null,
        metrics: { accUserBefore, accUserAfter: qa.passed ? accUserCand : accUserBefore, accPresumedBefore, accPresumedAfter: qa.passed ? accPresumedCand : accPresumedBefore, maxClassDropPts: qa.passed ? qa.maxClassDropPts : 0 }
      },
      qa.passed ? { teacher: teacherNext, student: candidate, artifact: candidateArtifact } : { ...start, teacher: teacherNext },
      candidate,
      candidateArtifact
    )
  }
  ctx.log(`QA passed (${figures}); rolling ${candidateArtifact.id} out`)
  const rollout = await rollOut(deps, fleet, candidateArtifact, ctx.signal)
  ctx.progress(1)
  return finishRound(
    r,
    c,
    {
      outcome: 'rolled-out',
      summary: `rolled out to ${rollout.succeeded} of ${rollout.total} boards: ${figures}`,
      ...ids,
      artifact: candidateArtifact.id,
      qa,
      rollout: { boards: rollout.total, succeeded: rollout.succeeded, failed: rollout.failed },
      metrics: { accUserBefore, accUserAfter: accUserCand, accPresumedBefore, accPresumedAfter: accPresumedCand, maxClassDropPts: qa.maxClassDropPts }
    },
    { teacher: teacherNext, student: candidate, artifact: candidateArtifact },
    candidate,
    candidateArtifact
  )
}
