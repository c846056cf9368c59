import { describe, expect, it } from 'vitest'
import type { RolloutPlan } from '../../shared/api/fleet-types'
import { newPlan, resumePlan, summarise, type Flasher } from './rollout-plan'
import { runRollout } from './rollout-runner'

const boards = (n: number) => Array.from({ length: n }, (_, i) => `b${String(i).padStart(2, '0')}`)
const plan = (n: number, over: Partial<Parameters<typeof newPlan>[0]> = {}) =>
  newPlan({ id: 'r1', artifactId: 'a-1', artifactHash: 'h', group: 'g', boards: boards(n), concurrency: 4, abortAfter: null, jobId: null, ...over })

/** A flasher over a seeded failure set, recording concurrency; its "flash" yields to the event loop like I/O does. */
function flasher(failing: Set<string>, seen: { max: number; now: number; order: string[] } = { max: 0, now: 0, order: [] }): Flasher {
  return async (id, ctx) => {
    seen.now++
    seen.max = Math.max(seen.max, seen.now)
    seen.order.push(id)
    for (let i = 1; i <= 4; i++) {
      await new Promise((r) => setImmediate(r))
      ctx.progress(i / 4)
    }
    seen.now--
    return failing.has(id) ? { ok: false, reason: `${id}: golden-vector check failed` } : { ok: true }
  }
}

const noHooks = { changed: async () => undefined }

describe('rollout runner', () => {
  it('flashes every board within the concurrency limit and succeeds', async () => {
    const seen = { max: 0, now: 0, order: [] as string[] }
    const p = await runRollout(plan(32), flasher(new Set(), seen), noHooks, new AbortController().signal)
    expect(p.state).toBe('succeeded')
    expect(summarise(p)).toMatchObject({ succeeded: 32, failed: 0, pending: 0 })
    expect(seen.max).toBe(4)
  })

  it('stops at the abort threshold and says why; running flashes finish, the rest are skipped', async () => {
    const failing = new Set(['b01', 'b03', 'b05', 'b07', 'b09', 'b11', 'b13'])
    const p = await runRollout(plan(32, { abortAfter: 5 }), flasher(failing), noHooks, new AbortController().signal)
    expect(p.state).toBe('aborted')
    const s = summarise(p)
    expect(s.failed).toBeGreaterThanOrEqual(5)
    expect(s.skipped).toBeGreaterThan(0)
    expect(s.succeeded + s.failed + s.skipped).toBe(32)
    expect(p.reason).toMatch(/stopped after \d+ failed flashes \(abort threshold 5\)/)
  })

  it('without a threshold finishes despite failures and reports them', async () => {
    const p = await runRollout(plan(32), flasher(new Set(['b01', 'b02', 'b03'])), noHooks, new AbortController().signal)
    expect(p.state).toBe('failed')
    expect(summarise(p)).toMatchObject({ succeeded: 29, failed: 3 })
    expect(p.boards.find((b) => b.boardId === 'b02')?.error).toMatch(/golden-vector/)
  })

  it('runs waves in order: no board of wave 2 starts before wave 1 ended', async () => {
    const seen = { max: 0, now: 0, order: [] as string[] }
    const p = await runRollout(plan(12, { waveSize: 4 }), flasher(new Set(), seen), noHooks, new AbortController().signal)
    expect(p.state).toBe('succeeded')
    expect(seen.order.slice(0, 4).sort()).toEqual(['b00', 'b01', 'b02', 'b03'])
    expect(seen.order.slice(4, 8).sort()).toEqual(['b04', 'b05', 'b06', 'b07'])
  })

  it('a cancelled rollout persists its progress and resumes with only the boards left', async () => {
    const ac = new AbortController()
    const saved: RolloutPlan[] = []
    let n = 0
    const slow: Flasher = async (id, ctx) => {
      if (++n === 10) ac.abort()
      return flasher(new Set())(id, ctx)
    }
    const p = await runRollout(plan(32), slow, { changed: async (x) => void saved.push(structuredClone(x)) }, ac.signal)
    expect(p.state).toBe('cancelled')
    const done = summarise(p).succeeded
    expect(done).toBeGreaterThan(0)
    expect(done).toBeLessThan(32)
    const restored = resumePlan(structuredClone(saved.at(-1) as RolloutPlan))
    const order: string[] = []
    const again = await runRollout(restored, flasher(new Set(), { max: 0, now: 0, order }), noHooks, new AbortController().signal)
    expect(again.state).toBe('succeeded')
    expect(order.length).toBe(32 - done)
  })

  it('estimates time left from the flashes so far', () => {
    const p = plan(8, { concurrency: 2 })
    const t0 = Date.parse('2026-01-01T00:00:00Z')
    p.boards[0] = { ...p.boards[0], state: 'succeeded', startedAt: new Date(t0).toISOString(), endedAt: new Date(t0 + 10_000).toISOString() }
    p.boards[1] = { ...p.boards[1], state: 'succeeded', startedAt: new Date(t0).toISOString(), endedAt: new Date(t0 + 10_000).toISOString() }
    expect(summarise(p, t0 + 10_000).etaSeconds).toBeCloseTo((6 * 10) / 2)
  })
})
