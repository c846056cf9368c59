import type { RoundReport } from '../../../shared/api/diredi'
import type { ArtifactRef, ModelRef } from '../setup'
import type { Collection } from './collect'
import type { Round, RoundOutput, RoundStart } from './context'

/** The report's fields each outcome decides; the rest is the round's record. */
export type Outcome = Omit<RoundReport, 'id' | 'scenario' | 'round' | 'jobId' | 'startedAt' | 'endedAt' | 'seconds' | 'boards' | 'inbox' | 'ledger' | 'privacy'>

/** Assembles the round's report (boards, inbox, ledger, privacy, timing) and what the next round starts from. */
export function finishRound(r: Round, c: Collection, o: Outcome, next: RoundStart, candidate: ModelRef | null, candidateArtifact: ArtifactRef | null): RoundOutput {
  const { settings: st, scenario } = r.base
  const report: RoundReport = {
    id: r.id,
    scenario: scenario.name,
    round: r.mode.number,
    jobId: r.ctx.jobId,
    startedAt: r.startedAt,
    endedAt: new Date().toISOString(),
    seconds: +((performance.now() - r.t0) / 1000).toFixed(1),
    boards: [...r.rows.values()],
    inbox: c.inboxRecords,
    ledger: r.ledger.snapshot(),
    privacy: privacyOf(st.clip, st.sigma),
    ...o
  }
  return { report, next, candidate, candidateArtifact, adapted: c.adapted, knowledgeBytes: c.knowledgeBytes }
}

/** The (epsilon, delta) of one round's Gaussian mechanism on a clipped delta (docs/method.md §3); null when clipping is off. */
export function privacyOf(clip: number, sigma: number): RoundReport['privacy'] {
  if (!(clip > 0)) return null
  const delta = 1e-5
  const c = Math.sqrt(2 * Math.log(1.25 / delta))
  // The classic bound holds for epsilon <= 1 (sigma >= c); below that no epsilon is claimed.
  return { clip, sigma, delta, epsilon: sigma >= c ? c / sigma : null }
}
