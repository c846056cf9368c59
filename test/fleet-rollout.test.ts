import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RolloutView } from '../src/shared/api/fleet'
import type { BoardRecord, FleetPort } from '../src/shared/api/fleet-types'
import type { App } from '../src/main/app/app'
import type { InProcessBoards } from '../src/main/emulator/inprocess'
import { tempDir } from '../src/main/store/testing/fixtures'
import { allOnline, artifactBytes, call, fleetBench, miscomputes, running, specModel } from './helpers/fleet'

const N = 32
/** 10% of the boards (3 of 32) run firmware that miscomputes v2 (and v3): their golden check fails. */
const FAULTY = new Set([3, 13, 23])
/**
 * Three more miscompute v3 only. 10% of 32 boards is 3 failures, which never reaches an abort threshold
 * of 5; the abort case needs at least 5, so v3 fails on 6 boards (every fifth from board 3).
 */
const FAULTY_V3 = new Set([...FAULTY, 8, 18, 28])
const ids = Array.from({ length: N }, (_, i) => `vb-${String(i).padStart(4, '0')}`)

/** Rollouts through the router to 32 in-process boards over the real protocol (node-serialport on a virtual bus). */
describe('fleet rollouts over the board link', () => {
  const tmp = tempDir('diredi-fleet-ro-')
  let boards: InProcessBoards
  let app: App
  let v1: { id: string; hash: string }
  let v2: { id: string; hash: string }
  let v3: { id: string; hash: string }
  const timings: Record<string, number> = {}

  beforeAll(async () => {
    const bad = artifactBytes(22)
    const bad3 = artifactBytes(33)
    const runtimes = new Map([...FAULTY_V3].map((i) => [i, FAULTY.has(i) ? miscomputes(bad, bad3) : miscomputes(bad3)]))
    ;({ boards, app } = await fleetBench(tmp.dir, N, { runtimes }))
    for (const b of boards.boards) await call<FleetPort>(app, 'fleet.addPort', { path: b.path })
    await allOnline(app, ids)
    for (const id of ids) await call(app, 'fleet.label', { id, group: 'bench' })
    const model = await app.services.registry.models.put('student', specModel, { name: 'tiny', lineage: {} })
    v1 = await app.services.registry.artifacts.put(artifactBytes(11), { modelId: model.id, formatVersion: 1 })
    v2 = await app.services.registry.artifacts.put(bad, { modelId: model.id, formatVersion: 1 })
    v3 = await app.services.registry.artifacts.put(bad3, { modelId: model.id, formatVersion: 1 })
    const t0 = performance.now()
    const { jobId } = await call<{ jobId: string }>(app, 'fleet.rollout', { artifactId: v1.id, group: 'bench', concurrency: 8 })
    expect((await app.services.jobs.wait(jobId)).state).toBe('succeeded')
    timings.v1 = performance.now() - t0
  })
  afterAll(async () => {
    await app.dispose()
    expect(boards.bus.openByHost).toBe(0)
    await boards.dispose()
    tmp.remove()
    console.log(`fleet rollout timings (ms, 32 boards): ${JSON.stringify(timings)}`)
  })

  it('every board got v1, and its record says so', async () => {
    const recs = await call<BoardRecord[]>(app, 'fleet.boards', { group: 'bench' })
    expect(recs).toHaveLength(N)
    expect(recs.every((b) => b.online && running(b) === v1.hash)).toBe(true)
    expect((await call<Array<{ kind: string; ok?: boolean }>>(app, 'fleet.history', { id: 'vb-0007' })).filter((h) => h.kind === 'flash' && h.ok)).toHaveLength(1)
  })

  it('stops at the abort threshold of 5, says why, and leaves the rest untouched on v1', async () => {
    const t0 = performance.now()
    // one board at a time, so which boards fail before the stop (and which are skipped) is fixed: 3 8 13 18 23
    const { jobId, boards: n } = await call<{ jobId: string; boards: number }>(app, 'fleet.rollout', { artifactId: v3.id, group: 'bench', concurrency: 1, abortAfter: 5 })
    expect(n).toBe(N)
    const job = await app.services.jobs.wait(jobId)
    timings.aborted = performance.now() - t0
    expect(job.state).toBe('succeeded') // the job ran to its decision; the plan says it aborted
    const { plan, summary } = await call<RolloutView>(app, 'fleet.rolloutGet', { id: jobId })
    expect(plan.state).toBe('aborted')
    expect(plan.reason).toBe('stopped after 5 failed flashes (abort threshold 5); 8 boards were not flashed and keep their model')
    expect(summary).toMatchObject({ total: N, succeeded: 19, failed: 5, skipped: 8, pending: 0, flashing: 0 })
    expect(plan.boards.filter((b) => b.state === 'failed').map((b) => b.boardId)).toEqual([3, 8, 13, 18, 23].map((i) => ids[i]))
    expect(plan.boards.filter((b) => b.state === 'skipped').map((b) => b.boardId)).toEqual(ids.slice(24))
    for (const b of plan.boards.filter((x) => x.state === 'failed')) expect(b.error).toMatch(/golden vector .* differs/)
    const recs = new Map((await call<BoardRecord[]>(app, 'fleet.boards', {})).map((b) => [b.id, b]))
    for (const b of plan.boards) expect([b.boardId, running(recs.get(b.boardId) as BoardRecord)]).toEqual([b.boardId, b.state === 'succeeded' ? v3.hash : v1.hash])
    // the board itself agrees (not just the record)
    const s = await app.services.boards.session(boards.boards[3].path)
    const slots = await s.slots()
    expect(Buffer.from((slots.running === 'a' ? slots.slotA : slots.slotB).hash).toString('hex')).toBe(v1.hash)
    expect(slots.trial).toBe(false)
    // the reason is in the board's history too
    const hist = await call<Array<{ kind: string; ok?: boolean; jobId?: string; message: string }>>(app, 'fleet.history', { id: ids[30] })
    expect(hist.filter((h) => h.kind === 'rollout' && h.jobId === jobId)).toEqual([expect.objectContaining({ message: expect.stringMatching(/skipped/) })])
  })

  it('without a threshold it finishes: every healthy board runs v2, the faulty ones still run v1 (verified)', async () => {
    const t0 = performance.now()
    const { jobId } = await call<{ jobId: string }>(app, 'fleet.rollout', { artifactId: v2.id, group: 'bench', concurrency: 8, waveSize: 8 })
    await app.services.jobs.wait(jobId)
    timings.finished = performance.now() - t0
    const { plan, summary } = await call<RolloutView>(app, 'fleet.rolloutGet', { id: jobId })
    expect(plan.state).toBe('failed')
    expect(plan.reason).toMatch(/3 of 32 boards failed to flash and kept their previous model/)
    expect(summary).toMatchObject({ total: N, succeeded: N - 3, failed: 3, skipped: 0, pending: 0 })
    expect(new Set(plan.boards.map((b) => b.wave))).toEqual(new Set([0, 1, 2, 3]))
    const recs = await call<BoardRecord[]>(app, 'fleet.boards', { group: 'bench' })
    // boards 8, 18 and 28 failed (or skipped) v3 only: v2 flashes on them like on every healthy board
    for (const b of recs) expect([b.id, running(b)]).toEqual([b.id, FAULTY.has(ids.indexOf(b.id)) ? v1.hash : v2.hash])
    const hist = await call<Array<{ kind: string; ok?: boolean; jobId?: string }>>(app, 'fleet.history', { id: ids[13] })
    expect(hist.filter((h) => h.kind === 'rollout' && h.ok === false).length).toBe(2)
  })
})
