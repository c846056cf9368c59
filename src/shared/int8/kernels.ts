/**
 * The int8 kernels of the reference interpreter, one per layer kind. Activations are NHWC int8 of one
 * sample. Each kernel reads `inp` and writes `out`, allocates nothing, and follows TFLite-Micro's
 * reference arithmetic exactly (see fixedpoint.ts), so a board that implements the same formulas
 * reproduces every output bit for bit.
 */
import { padBefore, type Padding } from '../model/spec'
import { multiplyByQuantizedMultiplier } from './fixedpoint'
import type { Int8Layer, WeightedInt8Layer } from './model'

type Dense = Extract<Int8Layer, { type: 'dense' }>
type Conv = Extract<Int8Layer, { type: 'conv2d' }>
type Depthwise = Extract<Int8Layer, { type: 'depthwiseConv2d' }>
type Pool = Extract<Int8Layer, { type: 'maxPool2d' | 'avgPool2d' }>

/** Scratch buffers, sized by the plan to the largest layer. */
export interface Scratch {
  /** Per output channel int32 accumulators. */
  acc: Int32Array
}

/**
 * A weighted layer's constants in one fixed object shape, built once per model: the kernels then see a
 * single hidden class whatever model runs (mixed shapes made V8 deoptimise them over and over).
 * `weights` is re-laid out input-major for dense and conv2d (dense [in][out], conv2d [kh][kw][cin][cout])
 * so the innermost loop runs over contiguous output channels and a zero input (q_in = zp_in, common
 * after ReLU and on image borders) is skipped whole; integer sums do not depend on order, so results
 * are those of the documented formulas. Depthwise weights keep the stored layout.
 */
export class PreparedLayer {
  constructor(
    readonly weights: Int8Array,
    readonly bias: Int32Array,
    readonly multiplier: Int32Array,
    readonly shift: Int32Array,
    readonly zeroPoint: number,
    readonly actMin: number,
    readonly actMax: number
  ) {}
}

export function prepareLayer(l: WeightedInt8Layer): PreparedLayer {
  let weights = l.weights
  if (l.type !== 'depthwiseConv2d') {
    const outC = l.type === 'dense' ? l.units : l.filters
    const fanIn = l.weights.length / outC
    weights = new Int8Array(l.weights.length)
    for (let c = 0; c < outC; c++) for (let j = 0; j < fanIn; j++) weights[j * outC + c] = l.weights[c * fanIn + j]
  }
  const o = l.output
  return new PreparedLayer(weights, l.bias, o.multiplier, o.shift, o.zeroPoint | 0, o.actMin | 0, o.actMax | 0)
}

/** acc -> int8 output: requantise, add the output zero point, clamp to the fused activation. */
function requant(acc: number, p: PreparedLayer, c: number): number {
  const v = multiplyByQuantizedMultiplier(acc, p.multiplier[c], p.shift[c]) + p.zeroPoint
  return v < p.actMin ? p.actMin : v > p.actMax ? p.actMax : v
}

export function denseKernel(l: Dense, p: PreparedLayer, inp: Int8Array, zpIn: number, out: Int8Array, s: Scratch): void {
  const n = l.inFeatures
  const units = l.units
  const acc = s.acc
  const packed = p.weights
  const bias = p.bias
  for (let c = 0; c < units; c++) acc[c] = bias[c]
  for (let i = 0, base = 0; i < n; i++, base += units) {
    const x = inp[i] - zpIn
    if (x === 0) continue
    for (let c = 0; c < units; c++) acc[c] += x * packed[base + c]
  }
  for (let c = 0; c < units; c++) out[c] = requant(acc[c], p, c)
}

/** inShape: [h, w, cin]. Padded taps are skipped (they add (zp - zp) * w = 0). */
export function convKernel(l: Conv, p: PreparedLayer, inShape: number[], outShape: number[], inp: Int8Array, zpIn: number, out: Int8Array, s: Scratch): void {
  const [h, wd, cin] = inShape
  const [oh, ow, cout] = outShape
  const [kh, kw] = l.kernel
  const [sh, sw] = l.strides
  const pt = padBefore(h, kh, sh, l.padding)
  const pl = padBefore(wd, kw, sw, l.padding)
  const acc = s.acc
  const packed = p.weights
  const bias = p.bias
  let o = 0
  for (let oy = 0; oy < oh; oy++) {
    const y0 = oy * sh - pt
    for (let ox = 0; ox < ow; ox++) {
      const x0 = ox * sw - pl
      for (let c = 0; c < cout; c++) acc[c] = bias[c]
      for (let ky = 0; ky < kh; ky++) {
        const iy = y0 + ky
        if (iy < 0 || iy >= h) continue
        for (let kx = 0; kx < kw; kx++) {
          const ix = x0 + kx
          if (ix < 0 || ix >= wd) continue
          const ib = (iy * wd + ix) * cin
          let wb = (ky * kw + kx) * cin * cout
          for (let ic = 0; ic < cin; ic++, wb += cout) {
            const x = inp[ib + ic] - zpIn
            if (x === 0) continue
            for (let c = 0; c < cout; c++) acc[c] += x * packed[wb + c]
          }
        }
      }
      for (let c = 0; c < cout; c++) out[o++] = requant(acc[c], p, c)
    }
  }
}

export function depthwiseKernel(l: Depthwise, p: PreparedLayer, inShape: number[], outShape: number[], inp: Int8Array, zpIn: number, out: Int8Array, s: Scratch): void {
  const [h, wd, cin] = inShape
  const [oh, ow, cout] = outShape
  const [kh, kw] = l.kernel
  const [sh, sw] = l.strides
  const mult = l.depthMultiplier
  const pt = padBefore(h, kh, sh, l.padding)
  const pl = padBefore(wd, kw, sw, l.padding)
  const w = p.weights
  const bias = p.bias
  const acc = s.acc
  let o = 0
  for (let oy = 0; oy < oh; oy++) {
    const y0 = oy * sh - pt
    for (let ox = 0; ox < ow; ox++) {
      const x0 = ox * sw - pl
      for (let c = 0; c < cout; c++) acc[c] = bias[c]
      for (let ky = 0; ky < kh; ky++) {
        const iy = y0 + ky
        if (iy < 0 || iy >= h) continue
        for (let kx = 0; kx < kw; kx++) {
          const ix = x0 + kx
          if (ix < 0 || ix >= wd) continue
          const ib = (iy * wd + ix) * cin
          const wb = (ky * kw + kx) * cout
          if (mult === 1) {
            for (let c = 0; c < cout; c++) acc[c] += (inp[ib + c] - zpIn) * w[wb + c]
          } else {
            for (let ic = 0, c = 0; ic < cin; ic++) {
              const x = inp[ib + ic] - zpIn
              for (let m = 0; m < mult; m++, c++) acc[c] += x * w[wb + c]
            }
          }
        }
      }
      for (let c = 0; c < cout; c++) out[o++] = requant(acc[c], p, c)
    }
  }
}

/**
 * Max or average pooling on raw int8 values (input and output share scale and zero point). Padded
 * positions are left out: max over the valid taps; average = sum / count over the valid taps, rounded
 * half away from zero as TFLite does: (sum +- floor(count / 2)) / count, truncating.
 */
export function poolKernel(l: Pool, inShape: number[], outShape: number[], inp: Int8Array, out: Int8Array): void {
  const [h, wd, c] = inShape
  const [oh, ow] = outShape
  const [ph, pw] = l.pool
  const [sh, sw] = l.strides
  const pt = padBefore(h, ph, sh, l.padding as Padding)
  const pl = padBefore(wd, pw, sw, l.padding as Padding)
  const isMax = l.type === 'maxPool2d'
  let o = 0
  for (let oy = 0; oy < oh; oy++) {
    const ya = Math.max(oy * sh - pt, 0)
    const yb = Math.min(oy * sh - pt + ph, h)
    for (let ox = 0; ox < ow; ox++) {
      const xa = Math.max(ox * sw - pl, 0)
      const xb = Math.min(ox * sw - pl + pw, wd)
      for (let ch = 0; ch < c; ch++) {
        let v = isMax ? -128 : 0
        for (let iy = ya; iy < yb; iy++) {
          for (let ix = xa; ix < xb; ix++) {
            const q = inp[(iy * wd + ix) * c + ch]
            if (isMax) {
              if (q > v) v = q
            } else v += q
          }
        }
        out[o++] = isMax ? v : roundedAverage(v, (yb - ya) * (xb - xa))
      }
    }
  }
}

/** Average over the whole plane, per channel, with the rounding of poolKernel. */
export function globalAvgPoolKernel(inShape: number[], inp: Int8Array, out: Int8Array): void {
  const [h, wd, c] = inShape
  const n = h * wd
  for (let ch = 0; ch < c; ch++) {
    let sum = 0
    for (let p = 0; p < n; p++) sum += inp[p * c + ch]
    out[ch] = roundedAverage(sum, n)
  }
}

/** TFLite's integer average: trunc((sum +- trunc(count / 2)) / count). */
export function roundedAverage(sum: number, count: number): number {
  const half = Math.floor(count / 2)
  return Math.trunc(sum > 0 ? (sum + half) / count : (sum - half) / count)
}
