/**
 * The integer arithmetic of int8 kernels, exactly as TFLite-Micro's reference kernels and CMSIS-NN do it
 * (gemmlowp's "double rounding" requantisation). Every function is defined on int32 values and returns an
 * int32; JavaScript numbers hold them exactly, and the 64-bit product is computed in 16-bit limbs so no
 * BigInt is needed.
 */

export const INT32_MIN = -2147483648
export const INT32_MAX = 2147483647
const TWO_31 = 2147483648
const TWO_16 = 65536
const TWO_15 = 32768
const TWO_30 = 1073741824
const TWO_52 = 2 ** 52

/**
 * gemmlowp SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b, rounded half away from zero,
 * i.e. trunc((a*b + nudge) / 2^31) with nudge = 2^30 for a*b >= 0 and 1 - 2^30 otherwise.
 * The one overflowing case (a = b = INT32_MIN) saturates to INT32_MAX.
 */
export function srdhm(a: number, b: number): number {
  // Fast path: a product below 2^52 in magnitude is exact in a double, and so is adding the nudge and
  // dividing by 2^31 (a power of two). Accumulators of small layers almost always take it.
  const ab = a * b
  if (ab < TWO_52 && ab > -TWO_52) return ((ab + (ab >= 0 ? TWO_30 : 1 - TWO_30)) / TWO_31) | 0 // |0 truncates, and gives +0
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX
  // b = bh * 2^16 + bl with bl in [0, 2^16): every partial product below is exact in a double.
  const bl = b & 0xffff
  const bh = (b - bl) / TWO_16
  const hi = a * bh // |hi| <= 2^46
  const negative = a < 0 !== b < 0 && a !== 0 && b !== 0
  const lo = a * bl + (negative ? 1 - 2 ** 30 : 2 ** 30) // |lo| < 2^48
  // x = hi * 2^16 + lo = qa * 2^31 + (ra * 2^16 + lo), with qa = floor(hi / 2^15), ra in [0, 2^15).
  const qa = Math.floor(hi / TWO_15)
  const c = (hi - qa * TWO_15) * TWO_16 + lo // exact: |c| < 2^49
  const fc = Math.floor(c / TWO_31)
  const floor = qa + fc
  const rem = c - fc * TWO_31 // x mod 2^31, in [0, 2^31)
  // C integer division truncates toward zero: for a negative x with a remainder, floor + 1.
  return floor < 0 && rem !== 0 ? floor + 1 : floor
}

/**
 * gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
 * exponent in [0, 31].
 */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x
  const mask = exponent === 31 ? 0x7fffffff : (1 << exponent) - 1
  const remainder = x & mask
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0)
  return (x >> exponent) + (remainder > threshold ? 1 : 0)
}

/**
 * TFLite MultiplyByQuantizedMultiplier: x * multiplier * 2^shift / 2^31, with multiplier in [2^30, 2^31)
 * (or 0) and shift in [-31, 30]. A positive shift multiplies x by 2^shift first; this format defines that
 * product as saturating to int32 (TFLite leaves overflow undefined; it cannot change a result that is
 * clamped to int8 afterwards unless the kernel wraps).
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  let v = x
  if (shift > 0) {
    v = x * 2 ** shift
    if (v > INT32_MAX) v = INT32_MAX
    else if (v < INT32_MIN) v = INT32_MIN
  }
  return roundingDivideByPOT(srdhm(v, multiplier), shift > 0 ? 0 : -shift)
}

/**
 * TFLite QuantizeMultiplier: represents a positive real multiplier m as q * 2^shift / 2^31 with q in
 * [2^30, 2^31). m = 0 gives (0, 0). Too small (shift < -31) flushes to (0, 0); too large (shift > 30)
 * saturates to (2^31 - 1, 30).
 */
export function quantizeMultiplier(m: number): { multiplier: number; shift: number } {
  if (!(m >= 0) || !Number.isFinite(m)) throw new RangeError(`quantizeMultiplier: multiplier must be a finite number >= 0, got ${m}`)
  if (m === 0) return { multiplier: 0, shift: 0 }
  // frexp: m = f * 2^e with f in [0.5, 1).
  let e = Math.ceil(Math.log2(m))
  let f = m / 2 ** e
  if (f >= 1) {
    f /= 2
    e += 1
  } else if (f < 0.5) {
    f *= 2
    e -= 1
  }
  let q = roundHalfAwayFromZero(f * TWO_31)
  if (q === TWO_31) {
    q /= 2
    e += 1
  }
  if (e < -31) return { multiplier: 0, shift: 0 }
  if (e > 30) return { multiplier: INT32_MAX, shift: 30 }
  return { multiplier: q, shift: e }
}

/** C's round(): ties away from zero (Math.round rounds ties toward +infinity). */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x)
}

export const clampInt8 = (x: number): number => (x < -128 ? -128 : x > 127 ? 127 : x)
