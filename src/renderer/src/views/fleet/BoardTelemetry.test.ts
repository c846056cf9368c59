import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { BoardTelemetry as Telemetry } from '../../../../shared/api/fleet-types'
import { fakeApi } from '../../testing/fake-api'
import { provideApi } from '../../stores/api'
import BoardTelemetry from './BoardTelemetry.vue'

const tel = (over: Partial<Telemetry['recent']> = {}, inferences = 120): Telemetry => ({
  boardId: 'vb-0001', inferences, latencyMeanUs: 412.3, lastInferenceAt: '2026-01-01T00:00:00Z',
  recent: { seconds: 10, count: 120, perSecond: 48.5, latencyUs: { mean: 410, p95: 655, max: 900 }, roundTripMs: { mean: 2.4, p95: 3.9, max: 5.1 }, ...over }
})

describe('BoardTelemetry', () => {
  it('shows the live rate and latency (mean / p95 / max) and follows fleet.telemetry events', async () => {
    const f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
    f.stub('fleet.telemetry', (p) => ({ ok: true, value: { ...tel(), boardId: p.id } }))
    const w = mount(BoardTelemetry, { props: { boardId: 'vb-0001', refreshMs: 3_600_000 } })
    await flushPromises()
    expect(w.get('[data-testid=tel-rate]').text()).toBe('48.5 /s (last 10 s: 120)')
    expect(w.get('[data-testid=tel-latency]').text()).toBe('410 / 655 / 900 µs mean / p95 / max')
    expect(w.get('[data-testid=tel-rtt]').text()).toBe('2.4 / 3.9 / 5.1 ms mean / p95 / max')
    expect(w.get('[data-testid=tel-total]').text()).toMatch(/^120 inferences, mean 412 µs/)
    f.emit('fleet.telemetry', tel({ perSecond: 0, count: 0, latencyUs: null, roundTripMs: null }, 130))
    f.emit('fleet.telemetry', { ...tel({ perSecond: 99 }), boardId: 'another' }) // not this board's
    await flushPromises()
    expect(w.get('[data-testid=tel-rate]').text()).toBe('0.0 /s (last 10 s: 0)')
    expect(w.get('[data-testid=tel-latency]').text()).toBe('— mean / p95 / max')
    expect(w.get('[data-testid=tel-total]').text()).toMatch(/^130 inferences/)
    w.unmount()
  })

  it('says so when the board never inferred', async () => {
    const f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
    f.stub('fleet.telemetry', () => ({ ok: true, value: { ...tel({ count: 0, perSecond: 0, latencyUs: null, roundTripMs: null }, 0), latencyMeanUs: null, lastInferenceAt: null } }))
    const w = mount(BoardTelemetry, { props: { boardId: 'vb-0001', refreshMs: 3_600_000 } })
    await flushPromises()
    expect(w.text()).toContain('No inferences on this board yet.')
    w.unmount()
  })
})
