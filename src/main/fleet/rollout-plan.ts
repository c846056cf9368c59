import type { RolloutBoard, RolloutPlan, RolloutSummary } from '../../shared/api/fleet-types'

/** What flashing one board produced: success, or a failure with a reason for people. */
export type FlashOutcome = { ok: true } | { ok: false; reason: string }

/** Flashes one board; the fleet layer binds it to the board link (port ownership, sessions). */
export type Flasher = (boardId: string, ctx: { signal: AbortSignal; progress(fraction: number): void }) => Promise<FlashOutcome>

export function newPlan(p: { id: string; artifactId: string; artifactHash: string; group: string | null; boards: string[]; concurrency: number; waveSize?: number; abortAfter: number | null; jobId: string | null }): RolloutPlan {
  const waveSize = Math.max(1, p.waveSize ?? p.boards.length)
  return {
    id: p.id,
    artifactId: p.artifactId,
    artifactHash: p.artifactHash,
    group: p.group,
    concurrency: Math.max(1, p.concurrency),
    waveSize,
    abortAfter: p.abortAfter,
    state: 'running',
    reason: null,
    boards: p.boards.map((boardId, i) => ({ boardId, state: 'pending', progress: 0, attempts: 0, error: null, startedAt: null, endedAt: null, wave: Math.floor(i / waveSize) })),
    createdAt: new Date().toISOString(),
    endedAt: null,
    jobId: p.jobId
  }
}

export function summarise(plan: RolloutPlan, now = Date.now()): RolloutSummary {
  const count = (s: RolloutBoard['state']) => plan.boards.filter((b) => b.state === s).length
  const done = plan.boards.filter((b) => (b.state === 'succeeded' || b.state === 'failed') && b.startedAt && b.endedAt)
  const mean = done.length ? done.reduce((a, b) => a + (Date.parse(b.endedAt as string) - Date.parse(b.startedAt as string)), 0) / done.length / 1000 : null
  const pending = count('pending')
  const flashing = plan.boards.filter((b) => b.state === 'flashing')
  const inFlightLeft = flashing.reduce((a, b) => a + (mean === null ? 0 : Math.max(0, mean - (now - Date.parse(b.startedAt ?? new Date(now).toISOString())) / 1000)), 0)
  return {
    total: plan.boards.length,
    succeeded: count('succeeded'),
    failed: count('failed'),
    pending,
    flashing: flashing.length,
    skipped: count('skipped'),
    etaSeconds: mean === null ? null : (pending * mean + inFlightLeft) / plan.concurrency
  }
}

/** Boards still to do; after a restart, boards caught mid-flash are flashed again (flashing resumes by offset). */
export function resumePlan(plan: RolloutPlan): RolloutPlan {
  for (const b of plan.boards) {
    if (b.state === 'flashing') {
      b.state = 'pending'
      b.progress = 0
    }
  }
  plan.state = 'running'
  plan.reason = null
  plan.endedAt = null
  return plan
}
