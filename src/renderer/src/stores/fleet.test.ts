import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeApi } from '../testing/fake-api'
import { provideApi } from './api'
import { useFleetStore } from './fleet'
import type { BoardRecord } from '../../../shared/api/fleet-types'

const board = (id: string, over: Partial<BoardRecord> = {}): BoardRecord => ({
  id, name: id, labels: [], group: null, boardClass: 'mcu', firmware: '1.0', protocolVersion: 1, port: `/dev/${id}`, online: true,
  firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:00Z', info: {}, ...over
})

describe('fleet store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it('filters, groups and sorts', async () => {
    f.stub('fleet.boards', () => ({ ok: true, value: [board('c', { group: 'lab', labels: ['canary'] }), board('a', { group: 'lab' }), board('b', { group: 'field', online: false })] }))
    const s = useFleetStore()
    await s.load()
    expect(s.shown.map((b) => b.id)).toEqual(['a', 'b', 'c'])
    expect(s.groups).toEqual(['field', 'lab'])
    expect(s.online).toBe(2)
    s.group = 'lab'
    expect(s.shown.map((b) => b.id)).toEqual(['a', 'c'])
    s.filter = 'canary'
    expect(s.shown.map((b) => b.id)).toEqual(['c'])
    s.group = null
    s.filter = ''
    s.sortBy('online')
    expect(s.shown.at(-1)?.id).toBe('b')
    s.sortBy('online')
    expect(s.shown[0].id).toBe('b')
  })

  it('stays live from fleet.board events and keeps a labelling error', async () => {
    f.stub('fleet.boards', () => ({ ok: true, value: [board('a')] }))
    f.stub('fleet.label', () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'label "<x>": use letters' } }))
    const s = useFleetStore()
    await s.load()
    f.emit('fleet.board', board('z', { name: 'new one' }))
    expect(s.byId.z.name).toBe('new one')
    expect(await s.label('a', { labels: ['<x>'] })).toBe(false)
    expect(s.error?.message).toMatch(/use letters/)
  })
})
