import type { FlashResult } from '../../shared/api/boards'
import type { JobInfo } from '../../shared/api/jobs'
import type { EventBus } from '../core/events'
import type { BoardDirectory } from './directory'
import type { FleetLinks } from './links'

const ENDED = new Set(['succeeded', 'failed', 'cancelled'])

/**
 * Notes every single-board flash job (`boards.flash`, by port) in the history of the board it flashed,
 * with its outcome, as rollouts note theirs. Returns the unsubscribe.
 */
export function noteFlashJobs(events: EventBus, directory: BoardDirectory, links: FleetLinks): () => void {
  const noted = new Set<string>()
  return events.subscribe((name, payload) => {
    if (name !== 'job.updated') return
    const j = payload as JobInfo
    if (j.kind !== 'flash' || !ENDED.has(j.state) || noted.has(j.id)) return
    noted.add(j.id)
    const r = j.result as FlashResult | null
    const path = (j.params as { path?: string } | null)?.path ?? null
    const boardId = r?.boardId ?? (path ? links.idAt(path) : null)
    if (!boardId || !directory.has(boardId)) return
    const message =
      j.state === 'succeeded' && r
        ? `flash job: ${r.alreadyRunning ? 'already ran' : `slot ${r.slot} confirmed with`} ${r.hash.slice(0, 12)} on ${r.path} (${r.totalMs} ms)`
        : `flash job ${j.state}: ${j.error?.message ?? 'no reason given'}`
    void directory
      .note(boardId, { kind: 'flash', message, jobId: j.id, ok: j.state === 'succeeded' })
      .then(() => links.refresh(boardId))
      .catch((e: unknown) => console.error('fleet: could not note a flash job:', e))
  })
}
