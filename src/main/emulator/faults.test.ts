import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../shared/wire/clock'
import { mulberry32 as rng } from '../../shared/random'
import { flipBits, NO_FAULTS, parseFaults } from './faults'
import { Uart } from './uart'

describe('fault specs', () => {
  it('parses KEY=VALUE lists and refuses anything else, naming the part', () => {
    expect(parseFaults('ber=1e-4, drop=0.01,unplug=0.1,seed=7')).toEqual({ ...NO_FAULTS, ber: 1e-4, drop: 0.01, unplug: 0.1, seed: 7 })
    expect(parseFaults(undefined)).toEqual(NO_FAULTS)
    expect(() => parseFaults('ber=0.5')).toThrow(/ber=0.5: must be a number in \[0, 0.01\]/)
    expect(() => parseFaults('noise=1')).toThrow(/"noise=1" is not KEY=VALUE/)
    expect(() => parseFaults('drop')).toThrow(/is not KEY=VALUE/)
  })

  it('flips bits at the asked rate', () => {
    const b = new Uint8Array(200_000)
    const n = flipBits(b, 1e-4, rng(3))
    expect(n).toBeGreaterThan(100)
    expect(n).toBeLessThan(220)
    expect(b.reduce((a, x) => a + (x ? 1 : 0), 0)).toBeGreaterThan(0)
  })
})

describe('Uart', () => {
  it('paces bytes to the baud rate (8N1) on a manual clock', () => {
    const clock = new ManualClock()
    const got: number[] = []
    const u = new Uart(clock, 9600, true, NO_FAULTS, rng(1), () => undefined)
    u.receive((b) => got.push(clock.now(), b.length))
    u.feed(new Uint8Array(96)) // 96 bytes at 960 bytes/s: 100 ms
    u.feed(new Uint8Array(48))
    clock.advance(99)
    expect(got).toEqual([])
    clock.advance(1)
    expect(got).toEqual([100, 96])
    clock.advance(50)
    expect(got).toEqual([100, 96, 150, 48])
  })

  it('drops whole frames and keeps their delimiters', () => {
    const clock = new ManualClock()
    const out: number[] = []
    const u = new Uart(clock, 921600, false, { ...NO_FAULTS, drop: 0.5 }, rng(5), () => undefined)
    u.receive((b) => out.push(...b))
    const frames = Array.from({ length: 40 }, (_, i) => [i + 1, i + 1, 0]).flat()
    u.feed(Uint8Array.from(frames))
    const kept = out.filter((x) => x !== 0)
    expect(out.filter((x) => x === 0).length).toBe(40)
    expect(kept.length % 2).toBe(0)
    expect(kept.length).toBeGreaterThan(10)
    expect(kept.length).toBeLessThan(70)
    expect(u.counters.framesDropped).toBe(40 - kept.length / 2)
  })
})
