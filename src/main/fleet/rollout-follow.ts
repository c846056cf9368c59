import type { EventName, Events, MethodName, ParamsIn, ResultOf } from '../../shared/api/contract'
import type { RolloutView } from '../../shared/api/fleet'
import type { JobInfo } from '../../shared/api/jobs'

/** The part of a console the rollout CLI needs: in this process (the app's router and bus) or another (`RemoteConsole`). */
export interface ConsoleApi {
  invoke<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<ResultOf<M>>
  onEvent(fn: <E extends EventName>(name: E, payload: Events[E]) => void): () => void
}

const ENDED = new Set<JobInfo['state']>(['succeeded', 'failed', 'cancelled', 'interrupted'])

function progressLine(v: RolloutView): string {
  const s = v.summary
  const eta = s.etaSeconds === null ? '' : `, ETA ${Math.ceil(s.etaSeconds)} s`
  return `  ${s.succeeded + s.failed + s.skipped}/${s.total} done: ${s.succeeded} flashed, ${s.failed} failed, ${s.flashing} flashing${eta}`
}

/**
 * Starts a rollout through `api` and follows it to its end, noting progress (each board's failure, the
 * counts and the ETA) through `note`; resolves with the final view once its job has ended. Events are
 * watched from before the request, so a rollout that ends before its id comes back is still seen to end. `lost` rejects the wait
 * (the remote console went away).
 */
export async function startAndFollow(
  api: ConsoleApi,
  req: ParamsIn<'fleet.rollout'>,
  note: (line: string) => void,
  lost: Promise<never> = new Promise(() => undefined)
): Promise<RolloutView> {
  const views = new Map<string, RolloutView>()
  const endedJobs = new Set<string>()
  let jobId: string | null = null
  let last = ''
  const reported = new Set<string>()
  let wake: () => void = () => undefined
  const show = (v: RolloutView) => {
    const line = progressLine(v)
    if (line.replace(/, ETA.*/, '') !== last.replace(/, ETA.*/, '')) note(line)
    last = line
    for (const b of v.plan.boards) {
      if (b.state !== 'failed' || reported.has(b.boardId)) continue
      reported.add(b.boardId)
      note(`  ${b.boardId} failed: ${b.error ?? 'no reason given'}`)
    }
  }
  const off = api.onEvent((name, payload) => {
    if (name === 'fleet.rollout') {
      const v = payload as RolloutView
      views.set(v.plan.id, v)
      if (v.plan.id === jobId) show(v)
    } else if (name === 'job.updated') {
      const j = payload as JobInfo
      if (ENDED.has(j.state)) endedJobs.add(j.id)
    } else return
    wake()
  })
  // the job's end, not the plan's: the job still notes skipped boards after the plan's last state
  const done = () => jobId !== null && endedJobs.has(jobId)
  try {
    const started = await api.invoke('fleet.rollout', req)
    jobId = started.jobId
    note(`rollout ${jobId}: ${started.boards} boards${req.group ? ` of group ${req.group}` : ''}, ${req.concurrency ?? 4} at a time${req.abortAfter ? `, stopping after ${req.abortAfter} failures` : ''}`)
    const early = views.get(jobId)
    if (early) show(early)
    while (!done()) await Promise.race([new Promise<void>((r) => (wake = r)), lost])
  } finally {
    off()
  }
  return api.invoke('fleet.rolloutGet', { id: jobId })
}
