import type { RolloutPlan, RolloutSummary } from '../../../../shared/api/fleet-types'

/** Share of boards whose flash has ended (succeeded, failed or skipped), 0..1; 0 for an empty rollout. */
export const doneShare = (s: RolloutSummary): number => (s.total ? (s.succeeded + s.failed + s.skipped) / s.total : 0)

/** A rollout still working (cancel applies). */
export const isActive = (p: RolloutPlan): boolean => p.state === 'running'
