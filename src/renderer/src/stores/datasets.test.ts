import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeApi } from '../testing/fake-api'
import { dataset } from '../testing/records'
import { provideApi } from './api'
import { useDatasetsStore } from './datasets'

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('datasets store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it('lists newest first, finds by id, name or alias, and stays live from registry.changed', async () => {
    f.stub('datasets.list', () => ({ ok: true, value: [dataset('ds-1', { name: 'old', aliases: ['first'] }), dataset('ds-2', { name: 'new', createdAt: '2026-02-01T00:00:00Z' })] }))
    const s = useDatasetsStore()
    await s.load()
    expect(s.list.map((d) => d.id)).toEqual(['ds-2', 'ds-1'])
    expect(s.find('first')?.id).toBe('ds-1')
    expect(s.find('new')?.id).toBe('ds-2')

    f.stub('datasets.get', (p) => ({ ok: true, value: dataset(p.ref, { name: 'arrived', createdAt: '2026-03-01T00:00:00Z' }) }))
    f.emit('registry.changed', { kind: 'dataset', id: 'ds-3', change: 'added' })
    await tick()
    expect(s.list[0].name).toBe('arrived')
    f.emit('registry.changed', { kind: 'dataset', id: 'ds-1', change: 'removed' })
    f.emit('registry.changed', { kind: 'model', id: 't-1', change: 'added' }) // not ours: no call (an unstubbed one would throw)
    expect(s.list.map((d) => d.id)).toEqual(['ds-3', 'ds-2'])
  })

  it('imports with the given options and keeps a coded import error apart from the list error', async () => {
    f.stub('datasets.import', (p) =>
      p.format === 'builtin'
        ? { ok: true, value: { record: dataset('ds-m', { name: 'mnist' }), created: true, bytesRead: 0, seconds: 0.1 } }
        : { ok: false, error: { code: 'DATASET_INVALID', message: '/x/labels.idx: label 12 is out of range; give --classes' } }
    )
    const s = useDatasetsStore()
    expect(await s.importDataset({ format: 'idx', paths: ['/x/images.idx', '/x/labels.idx'], name: 'x' })).toBeNull()
    expect(s.importError?.code).toBe('DATASET_INVALID')
    expect(s.error).toBeNull()
    expect(s.importing).toBe(false)
    const r = await s.importDataset({ format: 'builtin', builtin: 'mnist' })
    expect(r?.record.name).toBe('mnist')
    expect(s.importError).toBeNull()
    expect(s.find('mnist')?.id).toBe('ds-m')
    expect(f.calls.map((c) => c.params)).toEqual([{ format: 'idx', paths: ['/x/images.idx', '/x/labels.idx'], name: 'x' }, { format: 'builtin', builtin: 'mnist' }])
  })

  it('records a verification and reloads after a reconnect', async () => {
    let n = 0
    f.stub('datasets.list', () => ({ ok: true, value: [dataset(`ds-${++n}`)] }))
    f.stub('datasets.verify', (p) => ({ ok: true, value: { record: dataset(p.ref), ok: false } }))
    const s = useDatasetsStore()
    await s.load()
    await s.verify('ds-1')
    expect(s.verified['ds-1']).toBe(false)
    f.setState('closed')
    f.setState('open')
    await tick()
    expect(s.list.map((d) => d.id)).toEqual(['ds-2'])
  })
})
