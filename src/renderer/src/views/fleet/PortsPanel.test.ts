import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { FleetPort } from '../../../../shared/api/fleet-types'
import { fakeApi } from '../../testing/fake-api'
import { provideApi } from '../../stores/api'
import PortsPanel from './PortsPanel.vue'

const port = (path: string, over: Partial<FleetPort> = {}): FleetPort => ({
  path, source: 'os', auto: false, present: true, status: 'listed', session: null, boardId: null, error: null, attempts: 0, nextRetryAt: null, ...over
})

describe('PortsPanel', () => {
  it('shows where each port is plugged (USB location, vendor:product) and follows a re-plug', async () => {
    const f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
    f.stub('fleet.ports', () => ({ ok: true, value: [port('/dev/ttyACM0', { location: '1-1.4', pnpId: 'usb-DiReDi_0042-if00', vendorId: 'd1ed', productId: 'b0a2' }), port('/dev/pts/3', { source: 'emulator' })] }))
    const w = mount(PortsPanel, { global: { stubs: { RouterLink: true } } })
    await flushPromises()
    const cell = (path: string) => w.get(`tr[data-port="${path}"] td[data-col="location"]`)
    expect(w.get('thead').text()).toContain('USB location')
    expect(cell('/dev/ttyACM0').text()).toBe('1-1.4 d1ed:b0a2')
    expect(cell('/dev/ttyACM0').attributes('title')).toBe('usb-DiReDi_0042-if00')
    expect(cell('/dev/pts/3').text()).toBe('—')
    f.emit('fleet.port', { change: 'changed', port: port('/dev/ttyACM0', { location: '1-1.2' }) })
    await flushPromises()
    expect(cell('/dev/ttyACM0').text()).toBe('1-1.2')
  })
})
