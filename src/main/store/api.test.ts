import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createApp } from '../app/app'
import { tempDir, tinyModel } from './testing/fixtures'
import { writeIdxFile } from '../ml/data/testing'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f()
})

async function app() {
  const t = tempDir('diredi-api-')
  cleanups.push(t.remove)
  const a = await createApp({ dataDir: join(t.dir, 'data'), host: 'cli' })
  cleanups.push(() => a.dispose())
  return { dir: t.dir, app: a }
}

describe('registry over the API', () => {
  it('imports, lists, verifies and removes datasets, with registry.changed events', async () => {
    const { dir, app: a } = await app()
    const events: string[] = []
    a.events.subscribe((name, p) => {
      if (name === 'registry.changed') events.push(`${(p as { change: string }).change}`)
    })
    writeIdxFile(join(dir, 'i'), 0x08, [4, 2, 2], [...Array(16).keys()])
    writeIdxFile(join(dir, 'l'), 0x08, [4], [0, 1, 0, 1])
    const r = await a.router.invoke('datasets.import', { format: 'idx', paths: [join(dir, 'i'), join(dir, 'l')], name: 'small', testFraction: 0.25 })
    expect(r).toMatchObject({ created: true, record: { name: 'small', splits: { train: 3, test: 1 } } })
    expect(await a.router.invoke('datasets.list', {})).toEqual([r.record])
    expect(await a.router.invoke('datasets.verify', { ref: 'small' })).toEqual({ record: r.record, ok: true })
    expect(await a.router.invoke('datasets.remove', { ref: r.record.id })).toEqual(r.record)
    expect(events).toEqual(['added', 'removed'])
  })

  it('turns bad params into BAD_REQUEST and bad files into DATASET_INVALID, never INTERNAL', async () => {
    const { dir, app: a } = await app()
    expect(await a.router.call('datasets.import', { format: 'xml', paths: [] }, { via: 'test' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(await a.router.call('datasets.import', { format: 'idx', paths: ['a', 'b'], name: 'x', testFraction: 2 }, { via: 'test' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    writeIdxFile(join(dir, 'i'), 0x08, [4, 2, 2], [...Array(16).keys()])
    writeIdxFile(join(dir, 'l'), 0x08, [3], [0, 1, 0])
    const res = await a.router.call('datasets.import', { format: 'idx', paths: [join(dir, 'i'), join(dir, 'l')], name: 'x' }, { via: 'test' })
    expect(res).toMatchObject({ ok: false, error: { code: 'DATASET_INVALID', details: { file: join(dir, 'i'), problem: expect.stringMatching(/holds 4 images but/) } } })
    expect(await a.router.call('datasets.get', { ref: 'nothing' }, { via: 'test' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await a.router.call('datasets.import', { format: 'csv', paths: [join(dir, 'nope.csv')], name: 'x' }, { via: 'test' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('lists models by kind and artifacts by model', async () => {
    const { app: a } = await app()
    const reg = a.services.registry
    const t = await reg.models.put('teacher', tinyModel(), { name: 't', lineage: {} })
    const s = await reg.models.put('student', tinyModel(2), { name: 's', lineage: { teacherId: t.id } })
    const art = await reg.artifacts.put(new Uint8Array([1, 2]), { modelId: s.id, formatVersion: 1 })
    expect((await a.router.invoke('models.list', { kind: 'student' })).map((m) => m.id)).toEqual([s.id])
    expect((await a.router.invoke('models.get', { ref: 's' })).lineage).toEqual({ teacherId: t.id })
    expect(await a.router.invoke('artifacts.list', { modelId: s.id })).toEqual([art])
    expect(await a.router.invoke('artifacts.list', { modelId: t.id })).toEqual([])
  })

  it('imports the built-in digits through datasets.import and reports whether they were new', async () => {
    const { app: a } = await app()
    const first = await a.router.invoke('datasets.import', { format: 'builtin', builtin: 'mnist' })
    expect(first).toMatchObject({ created: true, record: { name: 'mnist', splits: { train: 8000, test: 2000 } } })
    const again = await a.router.invoke('datasets.import', { format: 'builtin', builtin: 'mnist' })
    expect(again.created).toBe(false)
    expect(await a.router.call('datasets.import', { format: 'idx', paths: ['/x', '/y'] }, { via: 'test' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'give the dataset a name (--name)' } })
  })
})
