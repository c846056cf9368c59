import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeApi } from '../testing/fake-api'
import { provideApi } from './api'
import { usePortsStore } from './ports'
import type { FleetPort } from '../../../shared/api/fleet-types'

const port = (path: string, over: Partial<FleetPort> = {}): FleetPort => ({
  path, source: 'emulator', auto: true, present: true, status: 'open', session: 'ready', boardId: null, error: null, attempts: 0, nextRetryAt: null, ...over
})

describe('ports store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it('lists ports and follows added, changed and removed events', async () => {
    f.stub('fleet.ports', () => ({ ok: true, value: [port('/dev/pts/9'), port('/dev/pts/3')] }))
    const s = usePortsStore()
    await s.load()
    expect(s.list.map((p) => p.path)).toEqual(['/dev/pts/3', '/dev/pts/9'])
    f.emit('fleet.port', { change: 'changed', port: port('/dev/pts/3', { status: 'retrying', attempts: 2, error: { code: 'PORT_BUSY', message: 'in use' } }) })
    expect(s.byPath['/dev/pts/3'].status).toBe('retrying')
    f.emit('fleet.port', { change: 'added', port: port('/dev/ttyUSB0', { source: 'user' }) })
    f.emit('fleet.port', { change: 'removed', port: port('/dev/pts/9') })
    expect(s.list.map((p) => p.path)).toEqual(['/dev/pts/3', '/dev/ttyUSB0'])
  })

  it('adds a port (trimmed) and keeps a refusal', async () => {
    f.stub('fleet.addPort', (p) => (p.path.startsWith('/') ? { ok: true, value: port(p.path, { source: 'user', status: 'opening' }) } : { ok: false, error: { code: 'INVALID_INPUT', message: 'give an absolute path' } }))
    const s = usePortsStore()
    expect(await s.add('  /dev/ttyACM0 ')).toBe(true)
    expect(s.byPath['/dev/ttyACM0'].status).toBe('opening')
    expect(await s.add('COMx')).toBe(false)
    expect(s.error?.message).toMatch(/absolute/)
  })
})
