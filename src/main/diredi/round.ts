import { mean } from '../ml/engine'
import type { Base } from './setup'
import { collect } from './steps/collect'
import type { RoundCtx, RoundDeps, RoundMode, RoundOutput, RoundStart } from './steps/context'
import { dispatch, openRound } from './steps/dispatch'
import { emphasise } from './steps/emphasise'
import { gate } from './steps/gate'
import { integrate, readUsers } from './steps/integrate'
import { finishRound } from './steps/report'

export type { LabFleet } from './fleet-ops'
export type { RoundCtx, RoundDeps, RoundMode, RoundOutput, RoundStart } from './steps/context'
export { deltaOf } from './knowledge'
export { privacyOf } from './steps/report'
export { relabelledClasses } from '../ml/reverse-distil'

/**
 * One DiReDi round (docs/method.md §2 to §7) on the scenario's virtual boards over the board link:
 * dispatch S_r, every board adapts and sends signed knowledge, the inbox judges it, the teacher learns
 * the users' difference (a new teacher version), the student is re-distilled with emphasis from the
 * boards' adapted weights, the QA gate decides with the boards' own trial measurements, and a pass is
 * rolled out through the fleet layer. Every byte from each board is in the round's privacy ledger.
 * Each step is a function of `steps/`; the arithmetic of reverse distillation is `ml/reverse-distil.ts`.
 */
export async function runRound(deps: RoundDeps, base: Base, start: RoundStart, mode: RoundMode, ctx: RoundCtx): Promise<RoundOutput> {
  const { round: r, stop } = await openRound(deps, base, start, mode, ctx)
  try {
    const boards = await dispatch(r)
    const c = await collect(r)
    const accPresumedBefore = await r.vp.acc(start.student.model)
    const accUserBefore = mean([...boards.values()])
    if (!c.accepted.length) {
      const summary = `no board's knowledge was accepted (${c.inboxRecords.length} messages refused); nothing changed`
      const metrics = { accUserBefore, accUserAfter: accUserBefore, accPresumedBefore, accPresumedAfter: accPresumedBefore, maxClassDropPts: 0 }
      return finishRound(r, c, { outcome: 'no-knowledge', summary, teacherBefore: start.teacher.id, teacherAfter: null, studentBefore: start.student.id, candidate: null, artifact: null, qa: null, rollout: null, metrics }, start, null, null)
    }
    const users = await readUsers(r, c)
    const integration = await integrate(r, c, users)
    ctx.progress(0.68)
    const { candidate, candidateArtifact } = await emphasise(r, c, users, integration)
    return await gate(r, c, users, integration, { boards, accUserBefore, accPresumedBefore }, candidate, candidateArtifact)
  } finally {
    stop()
  }
}
