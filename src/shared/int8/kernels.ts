/**
 * The int8 kernels of the reference interpreter, one per layer kind. Activations are NHWC int8 of one
 * sample. Each kernel reads `inp` and writes `out`, allocates nothing, and follows TFLite-Micro's
 * reference arithmetic exactly (see fixedpoint.ts), so a board that implements the same formulas
 * reproduces every output bit for bit.
 */
import { padBefore, type Padding } from '../model/spec'
import { multiplyByQuantizedMultiplier } from './fixedpoint'
import type { Int8Layer, OutputQuant } from './model'

type Dense = Extract<Int8Layer, { type: 'dense' }>
type Conv = Extract<Int8Layer, { type: 'conv2d' }>
type Depthwise = Extract<Int8Layer, { type: 'depthwiseConv2d' }>
type Pool = Extract<Int8Layer, { type: 'maxPool2d' | 'avgPool2d' }>

/** Scratch buffers, sized by the plan to the largest layer. */
export interface Scratch {
  /** q_in - zp_in of the current layer's input. */
  xs: Int32Array
  /** Per output channel accumulators (depthwise). */
  acc: Int32Array
}

/** acc -> int8 output: requantise, add the output zero point, clamp to the fused activation. */
function requant(acc: number, o: OutputQuant, c: number): number {
  const v = multiplyByQuantizedMultiplier(acc, o.multiplier[c], o.shift[c]) + o.zeroPoint
  return v < o.actMin ? o.actMin : v > o.actMax ? o.actMax : v
}

function centre(inp: Int8Array, n: number, zp: number, xs: Int32Array): void {
  for (let i = 0; i < n; i++) xs[i] = inp[i] - zp
}

export function denseKernel(l: Dense, inp: Int8Array, zpIn: number, out: Int8Array, s: Scratch): void {
  const n = l.inFeatures
  const w = l.weights
  const xs = s.xs
  centre(inp, n, zpIn, xs)
  for (let c = 0, base = 0; c < l.units; c++, base += n) {
    let acc = l.bias[c]
    for (let i = 0; i < n; i++) acc += xs[i] * w[base + i]
    out[c] = requant(acc, l.output, c)
  }
}

/** inShape: [h, w, cin]. Padded taps are skipped (they contribute (zp - zp) * w = 0). */
export function convKernel(l: Conv, inShape: number[], outShape: number[], inp: Int8Array, zpIn: number, out: Int8Array, s: Scratch): void {
  const [h, wd, cin] = inShape
  const [oh, ow, cout] = outShape
  const [kh, kw] = l.kernel
  const [sh, sw] = l.strides
  const pt = padBefore(h, kh, sh, l.padding)
  const pl = padBefore(wd, kw, sw, l.padding)
  const w = l.weights
  const xs = s.xs
  centre(inp, h * wd * cin, zpIn, xs)
  let o = 0
  for (let oy = 0; oy < oh; oy++) {
    const y0 = oy * sh - pt
    for (let ox = 0; ox < ow; ox++) {
      const x0 = ox * sw - pl
      for (let oc = 0; oc < cout; oc++) {
        let acc = l.bias[oc]
        for (let ky = 0; ky < kh; ky++) {
          const iy = y0 + ky
          if (iy < 0 || iy >= h) continue
          for (let kx = 0; kx < kw; kx++) {
            const ix = x0 + kx
            if (ix < 0 || ix >= wd) continue
            const ib = (iy * wd + ix) * cin
            const wb = ((oc * kh + ky) * kw + kx) * cin
            for (let ic = 0; ic < cin; ic++) acc += xs[ib + ic] * w[wb + ic]
          }
        }
        out[o++] = requant(acc, l.output, oc)
      }
    }
  }
}

export function depthwiseKernel(l: Depthwise, inShape: number[], outShape: number[], inp: Int8Array, zpIn: number, out: Int8Array, s: Scratch): void {
  const [h, wd, cin] = inShape
  const [oh, ow, cout] = outShape
  const [kh, kw] = l.kernel
  const [sh, sw] = l.strides
  const mult = l.depthMultiplier
  const pt = padBefore(h, kh, sh, l.padding)
  const pl = padBefore(wd, kw, sw, l.padding)
  const w = l.weights
  const { xs, acc } = s
  centre(inp, h * wd * cin, zpIn, xs)
  let o = 0
  for (let oy = 0; oy < oh; oy++) {
    const y0 = oy * sh - pt
    for (let ox = 0; ox < ow; ox++) {
      const x0 = ox * sw - pl
      for (let c = 0; c < cout; c++) acc[c] = l.bias[c]
      for (let ky = 0; ky < kh; ky++) {
        const iy = y0 + ky
        if (iy < 0 || iy >= h) continue
        for (let kx = 0; kx < kw; kx++) {
          const ix = x0 + kx
          if (ix < 0 || ix >= wd) continue
          const ib = (iy * wd + ix) * cin
          const wb = (ky * kw + kx) * cout
          for (let ic = 0, c = 0; ic < cin; ic++) {
            const x = xs[ib + ic]
            for (let m = 0; m < mult; m++, c++) acc[c] += x * w[wb + c]
          }
        }
      }
      for (let c = 0; c < cout; c++) out[o++] = requant(acc[c], l.output, c)
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
