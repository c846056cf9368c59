import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EventBus } from './events'
import { AppError } from './errors'
import { JobService } from './jobs'
import type { JobInfo } from '../../shared/api/jobs'

const tmp = () => mkdtempSync(join(tmpdir(), 'diredi-jobs-'))

function counter(svc: JobService) {
  svc.register<{ n: number; hold?: boolean }, { sum: number }>({
    kind: 'count',
    title: (p) => `count to ${p.n}`,
    resumable: true,
    async run(ctx, p) {
      let start = 0
      const ck = join(ctx.workDir, 'ck')
      if (ctx.resumed) start = Number(readFileSync(ck, 'utf8'))
      for (let i = start; i < p.n; i++) {
        // a first run of a "holding" job waits at step 150 until it is cancelled, so the test needs no timing
        if (p.hold && !ctx.resumed && i === 150) await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }))
        if (ctx.signal.aborted) throw ctx.signal.reason
        if (i % 100 === 0) writeFileSync(ck, String(i))
        ctx.progress((i + 1) / p.n, { i })
        await new Promise((r) => setImmediate(r))
      }
      ctx.log(`counted from ${start}`)
      return { sum: p.n, from: start } as { sum: number }
    }
  })
}

describe('JobService', () => {
  it('runs a job, reports progress events, persists the record and log', async () => {
    const dir = tmp()
    const bus = new EventBus()
    const seen: JobInfo[] = []
    bus.subscribe((name, p) => {
      if (name === 'job.updated') seen.push(p as JobInfo)
    })
    const svc = new JobService(dir, bus)
    counter(svc)
    const job = await svc.start('count', { n: 50 })
    expect(job.state).toBe('queued')
    const done = await svc.wait(job.id)
    expect(done.state).toBe('succeeded')
    expect(done.result).toEqual({ sum: 50, from: 0 })
    expect(seen.at(-1)?.state).toBe('succeeded')
    expect(seen.some((j) => j.state === 'running')).toBe(true)
    const onDisk = JSON.parse(readFileSync(join(dir, 'jobs', `${job.id}.json`), 'utf8')) as JobInfo
    expect(onDisk.state).toBe('succeeded')
    expect((await svc.log(job.id)).map((l) => l.message)).toContain('counted from 0')
    const series = await svc.series(job.id)
    expect(series.length).toBeGreaterThan(0)
    expect(series[0].metrics).toHaveProperty('i')
  })

  it('cancels a running job and resumes it from its checkpoint', async () => {
    const dir = tmp()
    const svc = new JobService(dir, new EventBus())
    counter(svc)
    const job = await svc.start('count', { n: 2_000, hold: true })
    while ((svc.get(job.id).progress ?? 0) < 0.07) await new Promise((r) => setTimeout(r, 5))
    svc.cancel(job.id)
    const c = await svc.wait(job.id)
    expect(c.state).toBe('cancelled')
    expect(c.error?.code).toBe('CANCELLED')
    const again = await svc.resume(job.id)
    expect(again.id).toBe(job.id)
    const done = await svc.wait(job.id)
    expect(done.state).toBe('succeeded')
    expect((done.result as { from: number }).from).toBeGreaterThan(0)
  })

  it('marks a job a killed console left running as interrupted', async () => {
    const dir = tmp()
    mkdirSync(join(dir, 'jobs'), { recursive: true })
    const stale: Partial<JobInfo> = { id: 'count-x', kind: 'count', title: 't', state: 'running', createdAt: new Date().toISOString(), params: { n: 3 } }
    writeFileSync(join(dir, 'jobs', 'count-x.json'), JSON.stringify(stale))
    writeFileSync(join(dir, 'jobs', '.count-y.json.1.ab.tmp'), '{"torn')
    const svc = new JobService(dir, new EventBus())
    counter(svc)
    await svc.load()
    expect(svc.get('count-x').state).toBe('interrupted')
    expect(svc.list().map((j) => j.id)).toEqual(['count-x'])
  })

  it('reports a failing job with its code and an unknown id as NOT_FOUND', async () => {
    const svc = new JobService(tmp(), new EventBus())
    svc.register({ kind: 'fail', title: () => 'fails', run: async () => { throw new AppError('DATASET_INVALID', 'bad file x.csv line 3') } })
    const j = await svc.start('fail', {})
    const done = await svc.wait(j.id)
    expect(done.state).toBe('failed')
    expect(done.error).toEqual({ code: 'DATASET_INVALID', message: 'bad file x.csv line 3' })
    expect(() => svc.get('nope')).toThrow(/no job nope/)
    await expect(svc.resume(j.id)).rejects.toThrow(/cannot be resumed/)
  })
})
