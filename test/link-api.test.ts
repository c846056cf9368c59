import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BoardSummary, FlashResult, InferReport } from '../src/shared/api/boards'
import { encodeArtifact } from '../src/shared/int8'
import { randomInt8Model } from '../src/shared/int8/testing'
import type { ModelSpec, SpecModel } from '../src/shared/model/spec'
import { createApp, type App } from '../src/main/app/app'
import { InProcessBoards } from '../src/main/emulator/inprocess'
import { int8Runtime } from '../src/main/emulator/int8-runtime'
import { synthDataset, tempDir } from '../src/main/store/testing/fixtures'

const spec: ModelSpec = { inputShape: [4, 4, 1], classes: 3, layers: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 3, activation: 'linear' }] }
const specModel: SpecModel = {
  spec,
  weights: { tensors: [{ name: '1/kernel', shape: [16, 8], data: new Float32Array(128) }, { name: '1/bias', shape: [8], data: new Float32Array(8) }, { name: '2/kernel', shape: [8, 3], data: new Float32Array(24) }, { name: '2/bias', shape: [3], data: new Float32Array(3) }] }
}

/** The boards.* API through the router, as the UI and the CLI call it, with in-process boards behind node-serialport. */
describe('boards API', () => {
  const tmp = tempDir('diredi-link-api-')
  let boards: InProcessBoards
  let app: App
  let path: string
  const events: string[] = []
  beforeAll(async () => {
    boards = new InProcessBoards(int8Runtime)
    path = boards.add({ config: { pace: false } }).path
    app = await createApp({ dataDir: tmp.dir, host: 'cli', portOpener: boards.opener })
    app.events.subscribe((name) => events.push(name))
  })
  afterAll(async () => {
    await app.dispose()
    expect(boards.bus.openByHost).toBe(0)
    await boards.dispose()
    tmp.remove()
  })

  it('lists ports, opens a session, flashes an artifact from the registry by model id as a job, infers a test set', async () => {
    const call = <T>(m: string, p: Record<string, unknown>) => app.router.invoke(m as never, p) as Promise<T>
    const ports = await call<Array<{ path: string; source: string }>>('boards.ports', {})
    expect(ports).toContainEqual(expect.objectContaining({ path, source: 'os' }))
    const opened = await call<BoardSummary>('boards.open', { path })
    expect(opened).toMatchObject({ path, state: 'ready', info: { boardId: 'vb-0000' } })

    const model = await app.services.registry.models.put('student', specModel, { name: 'tiny', lineage: {} })
    const art = await app.services.registry.artifacts.put(encodeArtifact(randomInt8Model(spec, 9)), { modelId: model.id, formatVersion: 1 })
    const job = await call<{ id: string }>('boards.flash', { path, artifact: model.id, golden: 3 })
    const done = await app.services.jobs.wait(job.id)
    expect(done.state).toBe('succeeded')
    expect(done.result as FlashResult).toMatchObject({ boardId: 'vb-0000', hash: art.hash, goldenChecked: 3 })
    expect((await call<BoardSummary>('boards.get', { path })).info).toMatchObject({ active: 'a', running: 'a', slots: { a: { state: 'confirmed', hash: art.hash } } })
    expect(events).toContain('board.state')
    expect(events).toContain('job.updated')

    await app.services.registry.datasets.put(synthDataset('tiny-set', { n: 10, m: 30, shape: [4, 4, 1], classes: 3 }))
    const inf = await call<InferReport>('boards.infer', { path, dataset: 'tiny-set', count: 25 })
    expect(inf).toMatchObject({ count: 25, exactMatches: 25, dataset: 'tiny-set' })

    expect(await call('boards.pair', { path })).toEqual({ boardId: 'vb-0000', paired: true })
    expect(await app.services.boards.keys.get('vb-0000')).toHaveLength(32)
    expect(await call('boards.pair', { path })).toEqual({ boardId: 'vb-0000', paired: true }) // renews with proof of the old key
    const stats = await call<{ console: { framesOut: number }; board: { framesIn: number } }>('boards.stats', { path })
    expect(stats.board.framesIn).toBeGreaterThan(0)
    expect(stats.console.framesOut).toBeGreaterThan(0)
  })

  it('answers bad requests with coded errors that say what to do', async () => {
    const fail = (m: string, p: Record<string, unknown>) => app.router.call(m, p, { via: 'test' })
    expect(await fail('boards.flash', { path })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(await fail('boards.flash', { path, artifact: 'm-nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/diredi models/) } })
    expect(await fail('boards.flash', { path, file: '/nonexistent.drd8' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await fail('boards.open', { path: '/virtual/none' })).toMatchObject({ ok: false, error: { code: 'PORT_NOT_FOUND' } })
    expect(await fail('boards.evalPrivate', { path })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/no user data/) } })
    expect(await fail('boards.get', { path: '/virtual/other' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await fail('boards.infer', { path, dataset: 'nope', count: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await fail('boards.close', { path })).toEqual({ ok: true, value: { closed: true } })
    expect(app.services.boards.list()).toEqual([])
  })
})
