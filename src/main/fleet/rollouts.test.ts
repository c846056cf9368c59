import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EventBus } from '../core/events'
import { BoardDirectory } from './directory'
import { JobService } from '../core/jobs'
import type { Flasher } from './rollout-plan'
import { RolloutService } from './rollouts'

async function setup(dataDir: string, flasher: Flasher) {
  const events = new EventBus()
  const jobs = new JobService(dataDir, events)
  await jobs.load()
  const dir = new BoardDirectory(dataDir)
  await dir.load()
  const svc = new RolloutService(dataDir, jobs, dir, events, () => flasher)
  return { jobs, dir, svc, events }
}

const ok: Flasher = async (_id, ctx) => {
  await new Promise((r) => setTimeout(r, 2))
  ctx.progress(1)
  return { ok: true }
}

describe('rollout service', () => {
  it('rolls out to a group as a job, notes every board, and reports progress events', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'diredi-ro-'))
    const { jobs, dir, svc, events } = await setup(dataDir, ok)
    for (let i = 0; i < 6; i++) {
      await dir.seen(`b${i}`, `/dev/pts/${i}`, { boardClass: 'x', firmware: '1', protocolVersion: 1 })
      await dir.label(`b${i}`, { group: i < 4 ? 'lab' : 'field' })
    }
    let events_ = 0
    events.subscribe((n) => n === 'fleet.rollout' && events_++)
    const { jobId, boards } = await svc.start({ artifactId: 'a-1', artifactHash: 'h', group: 'lab', concurrency: 2, abortAfter: null })
    expect(boards).toBe(4)
    const done = await jobs.wait(jobId)
    expect(done.state).toBe('succeeded')
    const { plan, summary } = await svc.get(jobId)
    expect(summary).toMatchObject({ total: 4, succeeded: 4 })
    expect(plan.boards.map((b) => b.boardId).sort()).toEqual(['b0', 'b1', 'b2', 'b3'])
    expect((await dir.history('b0')).at(-1)?.message).toMatch(/flashed a-1/)
    expect(events_).toBeGreaterThan(0)
    expect((await svc.list()).map((r) => r.plan.id)).toEqual([jobId])
  })

  it('refuses an empty group and unknown boards', async () => {
    const { svc } = await setup(mkdtempSync(join(tmpdir(), 'diredi-ro-')), ok)
    await expect(svc.start({ artifactId: 'a', artifactHash: 'h', group: 'none', concurrency: 1, abortAfter: null })).rejects.toThrow(/group none has no boards/)
    await expect(svc.start({ artifactId: 'a', artifactHash: 'h', boards: ['ghost'], concurrency: 1, abortAfter: null })).rejects.toThrow(/no board ghost/)
  })

  it('a console stopped mid-rollout resumes it at start-up with only the boards left', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'diredi-ro-'))
    let flashed = 0
    const counting: Flasher = async (id, ctx) => {
      flashed++
      return ok(id, ctx)
    }
    const first = await setup(dataDir, counting)
    for (let i = 0; i < 20; i++) await first.dir.seen(`b${i}`, `/dev/x${i}`, { boardClass: 'x', firmware: '1', protocolVersion: 1 })
    const { jobId } = await first.svc.start({ artifactId: 'a-1', artifactHash: 'h', boards: Array.from({ length: 20 }, (_, i) => `b${i}`), concurrency: 1, abortAfter: null })
    while (((await first.svc.get(jobId).catch(() => null))?.summary.succeeded ?? 0) < 5) await new Promise((r) => setTimeout(r, 5))
    await first.jobs.dispose() // the console shuts down mid-rollout: the job is cancelled, its plan saved
    const before = (await first.svc.get(jobId)).summary.succeeded
    expect(before).toBeGreaterThanOrEqual(5)
    expect(before).toBeLessThan(20)

    // mark it as a killed console would have left it, then start a new console on the same data
    const { writeFileSync, readFileSync } = await import('node:fs')
    const rec = join(dataDir, 'jobs', `${jobId}.json`)
    writeFileSync(rec, JSON.stringify({ ...JSON.parse(readFileSync(rec, 'utf8')), state: 'running' }))
    flashed = 0
    const second = await setup(dataDir, counting)
    await second.svc.init()
    const done = await second.jobs.wait(jobId)
    expect(done.state).toBe('succeeded')
    expect((await second.svc.get(jobId)).summary.succeeded).toBe(20)
    expect(flashed).toBe(20 - before)
  })
})
