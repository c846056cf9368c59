import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeApi } from '../testing/fake-api'
import { provideApi } from './api'
import { useJobsStore } from './jobs'
import type { JobInfo } from '../../../shared/api/jobs'

const job = (id: string, over: Partial<JobInfo> = {}): JobInfo => ({
  id, kind: 'distill', title: `job ${id}`, state: 'running', progress: 0.1, etaSeconds: 30, metrics: {}, params: {}, result: null, error: null,
  createdAt: `2026-01-01T00:00:0${id}Z`, startedAt: null, endedAt: null, ...over
})

describe('jobs store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it('lists newest first and stays live from job.updated events', async () => {
    f.stub('jobs.list', () => ({ ok: true, value: [job('1'), job('2')] }))
    const s = useJobsStore()
    await s.load()
    expect(s.list.map((j) => j.id)).toEqual(['2', '1'])
    f.emit('job.updated', job('1', { state: 'succeeded', progress: 1 }))
    expect(s.byId['1'].state).toBe('succeeded')
    expect(s.running.map((j) => j.id)).toEqual(['2'])
  })

  it('opens a job with its series and log, and appends live metrics', async () => {
    f.stub('jobs.get', () => ({ ok: true, value: job('3') }))
    f.stub('jobs.series', () => ({ ok: true, value: [{ at: 'a', progress: 0.1, metrics: { epoch: 1, loss: 2 } }] }))
    f.stub('jobs.log', () => ({ ok: true, value: [{ at: 'a', level: 'info' as const, message: 'started' }] }))
    const s = useJobsStore()
    await s.open('3')
    f.emit('job.updated', job('3', { metrics: { epoch: 2, loss: 1 } }))
    f.emit('job.log', { id: '3', line: { at: 'b', level: 'info', message: 'epoch 2' } })
    expect(s.series['3'].map((p) => p.metrics.loss)).toEqual([2, 1])
    expect(s.logs['3'].map((l) => l.message)).toEqual(['started', 'epoch 2'])
  })

  it('keeps the error of a failed cancel', async () => {
    f.stub('jobs.cancel', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no job 9' } }))
    const s = useJobsStore()
    await s.cancel('9')
    expect(s.error?.message).toBe('no job 9')
  })
})
