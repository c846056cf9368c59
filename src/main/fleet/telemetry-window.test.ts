import { describe, expect, it } from 'vitest'
import { addSample, emptyTelemetry, MAX_RECENT, snapshot, spread } from './telemetry-window'

const W = 10_000

describe('inference telemetry window', () => {
  it('mean, nearest-rank p95 and max', () => {
    expect(spread([])).toBeNull()
    expect(spread([5])).toEqual({ mean: 5, p95: 5, max: 5 })
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i) // 100..1, unsorted
    expect(spread(hundred)).toEqual({ mean: 50.5, p95: 95, max: 100 })
    expect(spread([1, 2, 3, 4, 1000])).toEqual({ mean: 202, p95: 1000, max: 1000 })
  })

  it('a steady 50/s stream reads 50/s; latencies are the window\'s; totals keep everything', () => {
    const t = emptyTelemetry()
    // 20 s of one inference every 20 ms: latency 200 µs, every 20th one 900 µs; round trip 3 ms
    for (let i = 0; i < 1000; i++) addSample(t, [i * 20, i % 20 === 19 ? 900 : 200, 3], W)
    const s = snapshot('b', t, 19_980, W)
    expect(s.inferences).toBe(1000)
    expect(s.latencyMeanUs).toBe(235) // (950*200 + 50*900) / 1000
    expect(s.recent.count).toBe(500) // samples at 10000..19980, i.e. in (9980, 19980]
    expect(s.recent.perSecond).toBe(50.1) // 500 over 9.98 s
    // exactly 5% are slow, so the nearest-rank p95 (the 475th of 500) is still a fast one
    expect(s.recent.latencyUs).toEqual({ mean: 235, p95: 200, max: 900 })
    expect(s.recent.roundTripMs).toEqual({ mean: 3, p95: 3, max: 3 })
    expect(s.lastInferenceAt).toBe(new Date(19_980).toISOString())
  })

  it('a burst reads at its own rate, then decays to 0 as it leaves the window', () => {
    const t = emptyTelemetry()
    for (let i = 0; i < 100; i++) addSample(t, [1_000_000 + i * 20, 300, 2], W) // 100 in 2 s
    expect(snapshot('b', t, 1_000_000 + 1980, W).recent.perSecond).toBe(50.51) // 100 / 1.98 s
    expect(snapshot('b', t, 1_000_000 + 7_000, W).recent.perSecond).toBe(14.29) // 100 / 7 s
    const idle = snapshot('b', t, 1_000_000 + 12_000, W)
    expect(idle.recent).toMatchObject({ count: 0, perSecond: 0, latencyUs: null, roundTripMs: null })
    expect(idle.inferences).toBe(100) // totals stay
    expect(idle.latencyMeanUs).toBe(300)
  })

  it('one inference is 1/s (the span is at least a second), and the window holds at most MAX_RECENT samples', () => {
    const t = emptyTelemetry()
    addSample(t, [5000, 100, 1], W)
    expect(snapshot('b', t, 5000, W).recent.perSecond).toBe(1)
    for (let i = 0; i < MAX_RECENT + 10; i++) addSample(t, [6000, 100, 1], W)
    expect(t.recent).toHaveLength(MAX_RECENT)
    expect(t.inferences).toBe(MAX_RECENT + 11)
  })
})
