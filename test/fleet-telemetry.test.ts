import { afterAll, describe, expect, it } from 'vitest'
import type { InferReport } from '../src/shared/api/boards'
import type { BoardTelemetry } from '../src/shared/api/fleet-types'
import { waitFor } from '../src/main/emulator/testing'
import { synthDataset, tempDir } from '../src/main/store/testing/fixtures'
import { artifactBytes, call, fleetBench, specModel } from './helpers/fleet'

/**
 * Inference telemetry per board, over the real protocol: every INFER a board answers is counted with its
 * latency, whoever asked (here a test-set run, and the golden checks of a flash); the figures are kept on
 * disk and come back after a restart, and `fleet.telemetry` events carry them live.
 */
describe('fleet telemetry: inference rate and latency per board', () => {
  const tmp = tempDir('diredi-fleet-tel-')
  const cleanup: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c()
    tmp.remove()
  })

  it('counts inferences per board with latency, emits live figures, and keeps totals across a restart', async () => {
    const { boards, app } = await fleetBench(tmp.dir, 2)
    cleanup.push(() => boards.dispose(), () => app.dispose())
    const live: BoardTelemetry[] = []
    app.events.subscribe((n, p) => n === 'fleet.telemetry' && live.push(p as BoardTelemetry))
    for (const b of boards.boards) await call(app, 'fleet.addPort', { path: b.path })
    const [a, b] = boards.boards
    expect(await call<BoardTelemetry>(app, 'fleet.telemetry', { id: 'vb-0000' })).toMatchObject({ inferences: 0, latencyMeanUs: null, recent: { count: 0, perSecond: 0, latencyUs: null } })
    await expect(call(app, 'fleet.telemetry', { id: 'no-such-board' })).rejects.toMatchObject({ code: 'NOT_FOUND' })

    const model = await app.services.registry.models.put('student', specModel, { name: 'tiny', lineage: {} })
    const art = await app.services.registry.artifacts.put(artifactBytes(7), { modelId: model.id, formatVersion: 1 })
    await app.services.registry.datasets.put(synthDataset('tel-set', { n: 10, m: 60, shape: [4, 4, 1], classes: 3 }))
    const job = await call<{ id: string }>(app, 'boards.flash', { path: a.path, artifact: art.id, golden: 3 })
    expect((await app.services.jobs.wait(job.id)).state).toBe('succeeded')
    const afterFlash = await call<BoardTelemetry>(app, 'fleet.telemetry', { id: 'vb-0000' })
    expect(afterFlash.inferences).toBe(3) // the golden checks ran on the board

    const rep = await call<InferReport>(app, 'boards.infer', { path: a.path, dataset: 'tel-set', count: 50 })
    expect(rep.count).toBe(50)
    const t = await call<BoardTelemetry>(app, 'fleet.telemetry', { id: 'vb-0000' })
    expect(t.inferences).toBe(53)
    // the run's own mean latency (the board's figures, as the report adds them up) is in the total's
    const runMean = (t.latencyMeanUs as number) * 53 - (afterFlash.latencyMeanUs as number) * 3
    expect(Math.abs(runMean / 50 - rep.latencyMeanUs)).toBeLessThan(1)
    expect(t.recent.count).toBe(53) // the helper's window is an hour
    expect(t.recent.perSecond).toBeGreaterThan(0)
    expect(t.recent.latencyUs?.max).toBeGreaterThanOrEqual(rep.latencyMaxUs)
    expect(t.recent.latencyUs?.p95).toBeLessThanOrEqual(t.recent.latencyUs?.max as number)
    expect(t.recent.latencyUs?.p95).toBeGreaterThanOrEqual(t.recent.latencyUs?.mean as number)
    expect(t.recent.roundTripMs?.mean).toBeGreaterThan(0)
    expect(t.lastInferenceAt).toMatch(/^\d{4}-/)
    console.log(`telemetry after 3 golden + 50 test-set inferences: ${t.recent.perSecond}/s, board latency ${JSON.stringify(t.recent.latencyUs)} µs, round trip ${JSON.stringify(t.recent.roundTripMs)} ms; the run's report: ${rep.throughput}/s, ${rep.latencyMeanUs} µs mean`)
    // the other board ran nothing
    expect((await call<BoardTelemetry>(app, 'fleet.telemetry', { id: b.board.cfg.boardId })).inferences).toBe(0)
    expect((await call<BoardTelemetry[]>(app, 'fleet.telemetryAll', {})).map((x) => x.boardId)).toEqual(['vb-0000'])

    // live: a throttled event follows the last change
    await waitFor(() => live.some((e) => e.boardId === 'vb-0000' && e.inferences === 53), 'a fleet.telemetry event with all 53')
    expect(live.every((e) => e.boardId === 'vb-0000')).toBe(true)

    // kept on disk: a new console on the same data directory knows the totals before any board is connected
    await app.dispose()
    const again = await fleetBench(tmp.dir, 0)
    cleanup.push(() => again.boards.dispose(), () => again.app.dispose())
    expect(await call<BoardTelemetry>(again.app, 'fleet.telemetry', { id: 'vb-0000' })).toMatchObject({ inferences: 53, latencyMeanUs: t.latencyMeanUs, lastInferenceAt: t.lastInferenceAt })
  })
})
