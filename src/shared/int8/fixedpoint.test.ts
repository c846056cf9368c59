import { describe, expect, it } from 'vitest'
import { INT32_MAX, INT32_MIN, multiplyByQuantizedMultiplier, quantizeMultiplier, roundingDivideByPOT, roundHalfAwayFromZero, srdhm } from './fixedpoint'

// Straight transcriptions of gemmlowp / TFLite in BigInt (C semantics: division truncates toward zero).
function srdhmRef(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX
  const ab = BigInt(a) * BigInt(b)
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n)
  return Number((ab + nudge) / (1n << 31n))
}
function rdbpotRef(x: number, e: number): number {
  const mask = (1n << BigInt(e)) - 1n
  const bx = BigInt(x)
  const rem = bx & mask
  const threshold = (mask >> 1n) + (bx < 0n ? 1n : 0n)
  return Number((bx >> BigInt(e)) + (rem > threshold ? 1n : 0n))
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
    s ^= s + Math.imul(s ^ (s >>> 7), s | 61)
    return ((s ^ (s >>> 14)) >>> 0) / 2 ** 32
  }
}

describe('fixed-point arithmetic', () => {
  const edges = [0, 1, -1, 2, -2, 3, 127, -128, 255, 65535, -65536, 2 ** 30, -(2 ** 30), 2 ** 30 + 1, INT32_MAX, INT32_MIN, INT32_MIN + 1, INT32_MAX - 1, 1518500250, -1518500250]

  it('srdhm equals the 64-bit reference on edge cases and random pairs', () => {
    for (const a of edges) for (const b of edges) expect(srdhm(a, b), `${a}*${b}`).toBe(srdhmRef(a, b))
    const r = rng(1)
    for (let i = 0; i < 20000; i++) {
      const a = Math.floor(r() * 2 ** 32) - 2 ** 31
      const b = i % 2 ? Math.floor(r() * 2 ** 31) : Math.floor(r() * 2 ** 16) - 2 ** 15
      expect(srdhm(a, b)).toBe(srdhmRef(a, b))
    }
  })

  it('srdhm is exact on both sides of its fast-path limit (|a*b| = 2^52)', () => {
    for (const b of [2 ** 30, 2 ** 30 + 1, INT32_MAX, -(2 ** 30), INT32_MIN]) {
      const edge = Math.floor(2 ** 52 / Math.abs(b))
      for (const a of [edge - 1, edge, edge + 1, -edge - 1, -edge, -edge + 1]) expect(srdhm(a, b), `${a}*${b}`).toBe(srdhmRef(a, b))
    }
    const r = rng(5)
    for (let i = 0; i < 20000; i++) {
      const a = Math.floor(r() * 2 ** 24) - 2 ** 23
      const b = Math.floor(r() * 2 ** 31)
      expect(srdhm(a, b)).toBe(srdhmRef(a, b))
    }
  })

  it('srdhm saturates INT32_MIN * INT32_MIN and rounds ties toward +infinity (gemmlowp nudge)', () => {
    expect(srdhm(INT32_MIN, INT32_MIN)).toBe(INT32_MAX)
    // a*b / 2^31 = +-0.5 exactly: +0.5 -> 1, -0.5 -> 0 (the nudge is 1 - 2^30 for negatives, then C truncation).
    expect(srdhm(1, 2 ** 30)).toBe(1)
    expect(srdhm(-1, 2 ** 30)).toBe(0)
    expect(srdhm(-3, 2 ** 30)).toBe(-1)
    expect(srdhm(1, 2 ** 30 - 1)).toBe(0)
    expect(srdhm(-1, 2 ** 30 - 1)).toBe(0)
  })

  it('roundingDivideByPOT rounds ties away from zero, including negatives', () => {
    expect(roundingDivideByPOT(5, 1)).toBe(3)
    expect(roundingDivideByPOT(-5, 1)).toBe(-3)
    expect(roundingDivideByPOT(-6, 2)).toBe(-2) // -1.5 -> -2
    expect(roundingDivideByPOT(-5, 2)).toBe(-1) // -1.25 -> -1
    expect(roundingDivideByPOT(-7, 2)).toBe(-2) // -1.75 -> -2
    expect(roundingDivideByPOT(6, 2)).toBe(2) // 1.5 -> 2
    expect(roundingDivideByPOT(INT32_MIN, 31)).toBe(-1)
    expect(roundingDivideByPOT(INT32_MAX, 31)).toBe(1)
    const r = rng(2)
    for (let i = 0; i < 20000; i++) {
      const x = Math.floor(r() * 2 ** 32) - 2 ** 31
      const e = i % 32
      expect(roundingDivideByPOT(x, e), `${x} >> ${e}`).toBe(rdbpotRef(x, e))
    }
  })

  it('quantizeMultiplier represents m as q * 2^shift / 2^31 with q in [2^30, 2^31)', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 })
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 })
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 })
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 2 ** 30, shift: -1 })
    // Rounds up to 2^31: renormalised to 2^30 with shift + 1.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 })
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 })
    expect(quantizeMultiplier(2 ** 40)).toEqual({ multiplier: INT32_MAX, shift: 30 })
    expect(() => quantizeMultiplier(-1)).toThrow(RangeError)
    const r = rng(3)
    for (let i = 0; i < 2000; i++) {
      const m = 2 ** (r() * 40 - 30)
      const { multiplier, shift } = quantizeMultiplier(m)
      expect(multiplier).toBeGreaterThanOrEqual(2 ** 30)
      expect(multiplier).toBeLessThan(2 ** 31)
      expect(Math.abs((multiplier * 2 ** shift) / 2 ** 31 - m) / m).toBeLessThan(2 ** -30)
    }
  })

  it('multiplyByQuantizedMultiplier approximates x * m and saturates a left shift', () => {
    const r = rng(4)
    for (let i = 0; i < 5000; i++) {
      const m = 2 ** (r() * 12 - 10)
      const x = Math.floor(r() * 2 ** 20) - 2 ** 19
      const { multiplier, shift } = quantizeMultiplier(m)
      const y = multiplyByQuantizedMultiplier(x, multiplier, shift)
      // Double rounding: within one unit of the exact product.
      expect(Math.abs(y - x * m)).toBeLessThanOrEqual(1)
      const right = shift > 0 ? 0 : -shift
      const left = shift > 0 ? shift : 0
      expect(y).toBe(rdbpotRef(srdhmRef(x * 2 ** left, multiplier), right))
    }
    // x * 2^shift beyond int32 saturates, then the multiply keeps the sign.
    expect(multiplyByQuantizedMultiplier(2 ** 30, 2 ** 30, 4)).toBe(srdhmRef(INT32_MAX, 2 ** 30))
    expect(multiplyByQuantizedMultiplier(-(2 ** 30), 2 ** 30, 4)).toBe(srdhmRef(INT32_MIN, 2 ** 30))
    // Negative ties: with shift 0 the rounding is srdhm's (-1.5 -> -1); with a right shift it is
    // double rounding: -3 * 0.25 -> srdhm gives -1.5 -> -1, then -1 / 2 = -0.5 -> -1 (away from zero).
    const half = quantizeMultiplier(0.5)
    expect(multiplyByQuantizedMultiplier(-3, half.multiplier, half.shift)).toBe(-1)
    expect(multiplyByQuantizedMultiplier(3, half.multiplier, half.shift)).toBe(2)
    const quarter = quantizeMultiplier(0.25)
    expect(multiplyByQuantizedMultiplier(-6, quarter.multiplier, quarter.shift)).toBe(-2) // -1.5: srdhm -3 exact, /2 -> -2
    expect(multiplyByQuantizedMultiplier(-2, quarter.multiplier, quarter.shift)).toBe(-1) // -0.5 -> -1
    expect(multiplyByQuantizedMultiplier(2, quarter.multiplier, quarter.shift)).toBe(1)
  })

  it('roundHalfAwayFromZero matches C round()', () => {
    expect([2.5, -2.5, 0.5, -0.5, 1.49, -1.51].map(roundHalfAwayFromZero)).toEqual([3, -3, 1, -1, 1, -2])
  })
})
