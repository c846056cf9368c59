import type { RolloutPlan } from '../../shared/api/fleet-types'
import type { Flasher } from './rollout-plan'

export interface RunnerHooks {
  /** Called after every state change; the caller persists and reports. Awaited, so a save lands before more work starts. */
  changed(plan: RolloutPlan): Promise<void>
  /** A flash's progress (not persisted: frequent). */
  progress?(plan: RolloutPlan): void
}

/**
 * Drives a rollout plan to its end: waves in order, at most `concurrency` boards at once within a wave,
 * and stops starting new flashes once failures reach `abortAfter` (flashes already under way finish;
 * the rest are marked skipped). Cancelling (the signal) stops as soon as running flashes return.
 * The plan is mutated in place and handed to `changed` after every transition, so a persisted plan
 * always says which boards are done.
 */
export async function runRollout(plan: RolloutPlan, flash: Flasher, hooks: RunnerHooks, signal: AbortSignal): Promise<RolloutPlan> {
  const failures = () => plan.boards.filter((b) => b.state === 'failed').length
  const over = () => plan.abortAfter !== null && failures() >= plan.abortAfter
  const waves = [...new Set(plan.boards.map((b) => b.wave))].sort((a, b) => a - b)

  for (const wave of waves) {
    const queue = plan.boards.filter((b) => b.wave === wave && b.state === 'pending')
    const worker = async () => {
      for (;;) {
        if (signal.aborted || over()) return
        const b = queue.shift()
        if (!b) return
        b.state = 'flashing'
        b.attempts++
        b.startedAt = new Date().toISOString()
        b.endedAt = null
        b.progress = 0
        await hooks.changed(plan)
        let outcome
        try {
          outcome = await flash(b.boardId, {
            signal,
            progress: (f) => {
              b.progress = Math.max(0, Math.min(1, f))
              hooks.progress?.(plan)
            }
          })
        } catch (e) {
          outcome = { ok: false as const, reason: e instanceof Error ? e.message : String(e) }
        }
        if (signal.aborted && !outcome.ok) {
          // cancelled mid-flash: the board keeps (or went back to) its previous model; flash it again on resume
          b.state = 'pending'
          b.progress = 0
          await hooks.changed(plan)
          return
        }
        b.state = outcome.ok ? 'succeeded' : 'failed'
        b.error = outcome.ok ? null : outcome.reason
        b.progress = outcome.ok ? 1 : b.progress
        b.endedAt = new Date().toISOString()
        await hooks.changed(plan)
      }
    }
    await Promise.all(Array.from({ length: Math.min(plan.concurrency, queue.length) }, worker))
    if (signal.aborted || over()) break
  }

  if (signal.aborted) {
    plan.state = 'cancelled'
    plan.reason = 'cancelled by the user; boards not yet flashed keep their model, and the rollout can be resumed'
  } else if (over()) {
    for (const b of plan.boards) if (b.state === 'pending') b.state = 'skipped'
    plan.state = 'aborted'
    plan.reason = `stopped after ${failures()} failed flashes (abort threshold ${plan.abortAfter}); ${plan.boards.filter((b) => b.state === 'skipped').length} boards were not flashed and keep their model`
  } else {
    const f = failures()
    plan.state = f ? 'failed' : 'succeeded'
    plan.reason = f ? `${f} of ${plan.boards.length} boards failed to flash and kept their previous model` : null
  }
  plan.endedAt = new Date().toISOString()
  await hooks.changed(plan)
  return plan
}
