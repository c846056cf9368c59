import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mount } from '@vue/test-utils'
import { fakeApi } from '../testing/fake-api'
import { provideApi } from './api'
import { useSystemStore } from './system'
import StatusView from '../views/StatusView.vue'
import type { SystemStatus } from '../../../shared/api/system'

const status: SystemStatus = {
  version: '9.9.9',
  dataDir: '/data/here',
  backend: { name: 'wasm', fallbacks: ['tensorflow: not installed'], workers: 2 },
  host: 'web',
  node: 'v20',
  platform: 'linux-x64',
  startedAt: '2026-01-01T00:00:00Z',
  pid: 1
}

describe('system store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi('connecting')
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it('loads the status when the connection opens', async () => {
    f.stub('system.status', () => ({ ok: true, value: status }))
    const s = useSystemStore()
    expect(s.status).toBeNull()
    f.setState('open')
    await new Promise((r) => setTimeout(r, 0))
    expect(s.connection).toBe('open')
    expect(s.status?.backend.name).toBe('wasm')
  })

  it('keeps the coded error when the call fails', async () => {
    f.stub('system.status', () => ({ ok: false, error: { code: 'SHUTTING_DOWN', message: 'closing' } }))
    const s = useSystemStore()
    await s.refresh()
    expect(s.error?.code).toBe('SHUTTING_DOWN')
  })

  it('the status view shows what the store holds', async () => {
    f.stub('system.status', () => ({ ok: true, value: status }))
    // the status page also offers the demo round, on the library's scenarios
    f.stub('diredi.scenarios', () => ({ ok: true, value: [] }))
    f.setState('open')
    const w = mount(StatusView, { global: { stubs: { RouterLink: true } } })
    await new Promise((r) => setTimeout(r, 0))
    await w.vm.$nextTick()
    expect(w.get('[data-testid=status-demo] [data-testid=no-scenarios]').text()).toContain('No scenarios in the library')
    expect(w.get('[data-testid=backend]').text()).toContain('wasm (2 workers)')
    expect(w.get('[data-testid=data-dir]').text()).toBe('/data/here')
    expect(w.text()).toContain('Not used: tensorflow: not installed')
  })

  it('an unstubbed call fails loudly', async () => {
    const s = useSystemStore()
    await expect(s.refresh()).rejects.toThrow(/unexpected call system.status/)
  })
})
