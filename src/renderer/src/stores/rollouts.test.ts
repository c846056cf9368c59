import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeApi } from '../testing/fake-api'
import { provideApi } from './api'
import { useRolloutsStore } from './rollouts'
import type { RolloutView } from '../../../shared/api/fleet'
import type { JobInfo } from '../../../shared/api/jobs'

const view = (id: string, createdAt: string, over: Partial<RolloutView['plan']> = {}): RolloutView => ({
  plan: {
    id, artifactId: 'a-1', artifactHash: 'ff', group: 'lab', concurrency: 2, waveSize: 2, abortAfter: null, state: 'running', reason: null,
    boards: [{ boardId: 'vb-1', state: 'pending', progress: 0, attempts: 0, error: null, startedAt: null, endedAt: null, wave: 0 }],
    createdAt, endedAt: null, jobId: `job-${id}`, ...over
  },
  summary: { total: 1, succeeded: 0, failed: 0, pending: 1, flashing: 0, skipped: 0, etaSeconds: null }
})
const job = (id: string, state: JobInfo['state']): JobInfo => ({
  id, kind: 'rollout', title: id, state, progress: null, etaSeconds: null, metrics: {}, params: {}, result: null, error: null, createdAt: '', startedAt: null, endedAt: null
})

describe('rollouts store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it('lists newest first and follows fleet.rollout events', async () => {
    f.stub('fleet.rollouts', () => ({ ok: true, value: [view('r1', '2026-01-01T00:00:00Z'), view('r2', '2026-01-02T00:00:00Z')] }))
    const s = useRolloutsStore()
    await s.load()
    expect(s.list.map((v) => v.plan.id)).toEqual(['r2', 'r1'])
    const done = view('r1', '2026-01-01T00:00:00Z', { state: 'succeeded' })
    done.summary = { ...done.summary, succeeded: 1, pending: 0 }
    f.emit('fleet.rollout', done)
    expect(s.byId.r1.plan.state).toBe('succeeded')
    expect(s.byId.r1.summary.succeeded).toBe(1)
    f.emit('fleet.rollout', view('r3', '2026-01-03T00:00:00Z'))
    expect(s.list[0].plan.id).toBe('r3')
  })

  it('starts a rollout with the form values and keeps a coded error', async () => {
    f.stub('fleet.rollout', (p) =>
      p.group === 'nowhere' ? { ok: false, error: { code: 'NOT_FOUND', message: 'no boards in group "nowhere": put boards in it first' } } : { ok: true, value: { jobId: 'job-r9', boards: 1 } }
    )
    f.stub('fleet.rollouts', () => ({ ok: true, value: [view('r9', '2026-01-09T00:00:00Z')] }))
    const s = useRolloutsStore()
    expect(await s.start({ artifactId: 'a-1', group: 'nowhere', concurrency: 2, abortAfter: null })).toBeNull()
    expect(s.startError?.code).toBe('NOT_FOUND')
    expect(await s.start({ artifactId: 'a-1', group: 'lab', concurrency: 3, waveSize: 5, abortAfter: 2 })).toBe('job-r9')
    expect(s.startError).toBeNull()
    expect(f.calls.find((c) => c.method === 'fleet.rollout' && (c.params as { group: string }).group === 'lab')?.params).toEqual({ artifactId: 'a-1', group: 'lab', concurrency: 3, waveSize: 5, abortAfter: 2 })
    expect(s.list.map((v) => v.plan.id)).toEqual(['r9'])
  })

  it("cancels and resumes through the plan's job id", async () => {
    f.stub('fleet.rollouts', () => ({ ok: true, value: [view('r1', '2026-01-01T00:00:00Z')] }))
    f.stub('jobs.cancel', (p) => ({ ok: true, value: job(p.id, 'cancelled') }))
    f.stub('jobs.resume', () => ({ ok: false, error: { code: 'BUSY', message: 'job is running; wait for it to stop' } }))
    f.stub('fleet.rolloutGet', () => ({ ok: true, value: view('r1', '2026-01-01T00:00:00Z', { state: 'cancelled' }) }))
    const s = useRolloutsStore()
    await s.load()
    await s.cancel('r1')
    expect(f.calls.find((c) => c.method === 'jobs.cancel')?.params).toEqual({ id: 'job-r1' })
    expect(s.byId.r1.plan.state).toBe('cancelled')
    await s.resume('r1')
    expect(s.error?.code).toBe('BUSY')
  })

  it('offers artifacts newest first and the groups in use', async () => {
    const art = (id: string) => ({ id, hash: id, modelId: 'm', bytes: 10, format: 'diredi-int8' as const, formatVersion: 1, metrics: {}, createdAt: '' })
    f.stub('artifacts.list', () => ({ ok: true, value: [art('a-old'), art('a-new')] }))
    f.stub('fleet.groups', () => ({ ok: true, value: ['field', 'lab'] }))
    const s = useRolloutsStore()
    await s.loadChoices()
    expect(s.artifacts.map((a) => a.id)).toEqual(['a-new', 'a-old'])
    expect(s.groups).toEqual(['field', 'lab'])
  })
})
