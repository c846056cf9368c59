import { describe, expect, it } from 'vitest'
import type { ModelSpec } from '../model/spec'
import { ArtifactError } from './errors'
import { quantizeMultiplier } from './fixedpoint'
import { dequantizeLogits, inputSize, quantizeInput, runInt8, runInt8Batch } from './interpreter'
import type { Int8Layer, Int8Model } from './model'
import { randomInt8Inputs, randomInt8Model } from './testing'

// ---- An independent, deliberately naive reference: BigInt requantisation, explicit zero-point padding.
function srdhmRef(a: bigint, b: bigint): bigint {
  if (a === -(1n << 31n) && b === -(1n << 31n)) return (1n << 31n) - 1n
  const ab = a * b
  return (ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n))) / (1n << 31n)
}
function requantRef(acc: number, mult: number, shift: number): number {
  let x = BigInt(acc) * (1n << BigInt(Math.max(shift, 0)))
  if (x > 2147483647n) x = 2147483647n
  if (x < -2147483648n) x = -2147483648n
  const y = srdhmRef(x, BigInt(mult))
  const e = BigInt(Math.max(-shift, 0))
  const mask = (1n << e) - 1n
  const threshold = (mask >> 1n) + (y < 0n ? 1n : 0n)
  return Number((y >> e) + ((y & mask) > threshold ? 1n : 0n))
}
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))
const cdiv = (a: number, b: number) => Number(BigInt(a) / BigInt(b)) // C division, truncating

function naiveRun(m: Int8Model, input: Int8Array): Int8Array {
  let shape = m.inputShape.slice()
  let x = Array.from(input)
  let zp = m.input.zeroPoint
  for (const l of m.layers) {
    if (l.type === 'flatten') { shape = [x.length]; continue }
    if (l.type === 'reshape') { shape = l.shape.slice(); continue }
    if (l.type === 'dense') {
      const y: number[] = []
      for (let c = 0; c < l.units; c++) {
        let acc = l.bias[c]
        for (let i = 0; i < l.inFeatures; i++) acc += (x[i] - zp) * l.weights[c * l.inFeatures + i]
        y.push(clamp(requantRef(acc, l.output.multiplier[c], l.output.shift[c]) + l.output.zeroPoint, l.output.actMin, l.output.actMax))
      }
      x = y
      shape = [l.units]
      zp = l.output.zeroPoint
      continue
    }
    const [h, w, cin] = shape
    if (l.type === 'globalAvgPool2d') {
      const y: number[] = []
      for (let c = 0; c < cin; c++) {
        let s = 0
        for (let p = 0; p < h * w; p++) s += x[p * cin + c]
        y.push(cdiv(s > 0 ? s + Math.floor((h * w) / 2) : s - Math.floor((h * w) / 2), h * w))
      }
      x = y
      shape = [cin]
      continue
    }
    const [kh, kw] = 'kernel' in l ? l.kernel : l.pool
    const [sh, sw] = l.strides
    const geom = (n: number, k: number, s: number) => {
      if (l.padding === 'valid') return { out: Math.floor((n - k) / s) + 1, before: 0 }
      const out = Math.ceil(n / s)
      return { out, before: Math.floor(Math.max((out - 1) * s + k - n, 0) / 2) }
    }
    const gy = geom(h, kh, sh)
    const gx = geom(w, kw, sw)
    const inside = (iy: number, ix: number) => iy >= 0 && iy < h && ix >= 0 && ix < w
    const at = (iy: number, ix: number, c: number) => x[(iy * w + ix) * cin + c]
    const outC = l.type === 'conv2d' ? l.filters : l.type === 'depthwiseConv2d' ? cin * l.depthMultiplier : cin
    const y: number[] = []
    for (let oy = 0; oy < gy.out; oy++)
      for (let ox = 0; ox < gx.out; ox++)
        for (let oc = 0; oc < outC; oc++) {
          const taps: Array<[number, number, number]> = []
          for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) taps.push([oy * sh - gy.before + ky, ox * sw - gx.before + kx, ky * kw + kx])
          if (l.type === 'maxPool2d') {
            y.push(Math.max(...taps.filter(([iy, ix]) => inside(iy, ix)).map(([iy, ix]) => at(iy, ix, oc))))
          } else if (l.type === 'avgPool2d') {
            const vals = taps.filter(([iy, ix]) => inside(iy, ix)).map(([iy, ix]) => at(iy, ix, oc))
            const s = vals.reduce((a, b) => a + b, 0)
            const half = Math.floor(vals.length / 2)
            y.push(cdiv(s > 0 ? s + half : s - half, vals.length))
          } else {
            let acc = l.bias[oc]
            for (const [iy, ix, t] of taps) {
              // Outside the image the input is the zero point itself: it contributes (zp - zp) * w = 0.
              if (l.type === 'conv2d') {
                for (let ic = 0; ic < cin; ic++) acc += ((inside(iy, ix) ? at(iy, ix, ic) : zp) - zp) * l.weights[(oc * kh * kw + t) * cin + ic]
              } else {
                const ic = Math.floor(oc / l.depthMultiplier)
                acc += ((inside(iy, ix) ? at(iy, ix, ic) : zp) - zp) * l.weights[t * outC + oc]
              }
            }
            y.push(clamp(requantRef(acc, l.output.multiplier[oc], l.output.shift[oc]) + l.output.zeroPoint, l.output.actMin, l.output.actMax))
          }
        }
    x = y
    shape = [gy.out, gx.out, outC]
    if (l.type === 'conv2d' || l.type === 'depthwiseConv2d') zp = l.output.zeroPoint
  }
  return Int8Array.from(x)
}

const specs: Record<string, ModelSpec> = {
  dense: { inputShape: [784], classes: 10, layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] },
  conv: {
    inputShape: [11, 9, 3],
    classes: 5,
    layers: [
      { type: 'conv2d', filters: 4, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu6' },
      { type: 'depthwiseConv2d', kernel: [3, 2], strides: [2, 2], padding: 'same', depthMultiplier: 2, activation: 'relu' },
      { type: 'avgPool2d', pool: [3, 3], strides: [1, 1], padding: 'same' },
      { type: 'conv2d', filters: 6, kernel: [2, 2], strides: [1, 2], padding: 'valid', activation: 'linear' },
      { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'same' },
      { type: 'flatten' },
      { type: 'dense', units: 5, activation: 'linear' }
    ]
  },
  pools: {
    inputShape: [48],
    classes: 3,
    layers: [
      { type: 'reshape', shape: [4, 4, 3] },
      { type: 'maxPool2d', pool: [2, 2], strides: [1, 1], padding: 'valid' },
      { type: 'avgPool2d', pool: [2, 2], strides: [1, 1], padding: 'valid' },
      { type: 'depthwiseConv2d', kernel: [1, 1], strides: [1, 1], padding: 'valid', depthMultiplier: 1, activation: 'linear' },
      { type: 'globalAvgPool2d' }
    ]
  }
}

describe('int8 interpreter', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`matches the naive reference bit for bit (${name})`, () => {
      for (const seed of [1, 2, 3]) {
        const m = randomInt8Model(spec, seed)
        const n = 12
        const inputs = randomInt8Inputs(inputSize(m), n, seed + 100)
        const batch = runInt8Batch(m, inputs)
        let distinct = new Set<number>()
        for (let i = 0; i < n; i++) {
          const one = inputs.subarray(i * inputSize(m), (i + 1) * inputSize(m))
          const want = naiveRun(m, one)
          expect(Array.from(runInt8(m, one))).toEqual(Array.from(want))
          expect(Array.from(batch.subarray(i * spec.classes, (i + 1) * spec.classes))).toEqual(Array.from(want))
          distinct = new Set([...distinct, ...want])
        }
        // The random models must not saturate everything, or the comparison would prove little.
        expect(distinct.size).toBeGreaterThan(5)
      }
    })
  }

  it('is deterministic and exposes each layer output', () => {
    const m = randomInt8Model(specs.conv, 7)
    const x = randomInt8Inputs(inputSize(m), 1, 8)
    const seen: number[] = []
    const a = runInt8(m, x, (i, out) => seen.push(i, out.length))
    expect(Array.from(runInt8(m, x))).toEqual(Array.from(a))
    expect(seen).toEqual([0, 11 * 9 * 4, 1, 6 * 5 * 8, 2, 6 * 5 * 8, 3, 5 * 2 * 6, 4, 3 * 1 * 6, 5, 18, 6, 5])
  })

  it('refuses inputs of the wrong size and invalid models', () => {
    const m = randomInt8Model(specs.dense, 1)
    expect(() => runInt8(m, new Int8Array(783))).toThrow(/784/)
    expect(() => runInt8Batch(m, new Int8Array(785))).toThrow(/whole number/)
    const bad: Int8Model = { ...m, layers: [m.layers[1], m.layers[0]] }
    expect(() => runInt8(bad, new Int8Array(784))).toThrow(ArtifactError)
  })
})

describe('requantisation edge cases in a dense layer', () => {
  // input r = (q - 10) * 1; acc = bias + sum (q - 10) * w; output = acc * M + zp_out, clamped.
  const layer = (m: number, zpOut: number, act: 'linear' | 'relu' | 'relu6', actMin: number, actMax: number): Int8Layer => {
    const q = quantizeMultiplier(m)
    return {
      type: 'dense',
      inFeatures: 2,
      units: 3,
      activation: act,
      weights: Int8Array.of(1, 2, -1, 0, 127, 127),
      bias: Int32Array.of(0, -5, 1000),
      weightScales: Float32Array.of(1, 1, 1),
      output: { scale: 1 / m, zeroPoint: zpOut, actMin, actMax, multiplier: Int32Array.of(q.multiplier, q.multiplier, q.multiplier), shift: Int32Array.of(q.shift, q.shift, q.shift) }
    }
  }
  const model = (l: Int8Layer): Int8Model => ({ inputShape: [2], classes: 3, input: { scale: 1, zeroPoint: 10 }, layers: [l] })
  const run = (l: Int8Layer, x: number[]) => Array.from(runInt8(model(l), Int8Array.from(x)))

  it('applies zero points, rounds ties, and saturates both ways', () => {
    // x - 10 = [10, 1]: acc = [12, -15, 2397]; * 0.5 = [6, -7.5 -> -7 (gemmlowp tie toward +inf), 1198.5 -> 1199]; - 3
    expect(run(layer(0.5, -3, 'linear', -128, 127), [20, 11])).toEqual([3, -10, 127])
    // x - 10 = [-138, -138]: acc = [-414, 133, -34052] -> [-207, 66.5 -> 67, -17026] - 3 -> saturates at -128
    expect(run(layer(0.5, -3, 'linear', -128, 127), [-128, -128])).toEqual([-128, 64, -128])
    // a right shift rounds again, ties away from zero: acc -15 * 0.25 = -3.75 -> -4; 12 * 0.25 = 3
    expect(run(layer(0.25, 0, 'linear', -128, 127), [20, 11])).toEqual([3, -4, 127])
  })

  it('applies fused ReLU and ReLU6 as clamps', () => {
    expect(run(layer(0.5, -3, 'relu', -3, 127), [20, 11])).toEqual([3, -3, 127])
    // ReLU6 with scale 2 (M = 0.5): real 6 is 3 steps above the zero point -3, i.e. 0.
    expect(run(layer(0.5, -3, 'relu6', -3, 0), [20, 11])).toEqual([0, -3, 0])
  })
})

describe('input quantisation and dequantisation', () => {
  it('rounds half away from zero and clamps to int8', () => {
    const m = randomInt8Model(specs.dense, 1)
    const q = { ...m, input: { scale: 0.5, zeroPoint: -1 } }
    expect(Array.from(quantizeInput(q, Float32Array.of(0, 0.25, -0.25, 0.75, 1000, -1000, 63.5)))).toEqual([-1, 0, -2, 1, 127, -128, 126])
  })

  it('dequantises logits with the last layer parameters', () => {
    const m = randomInt8Model(specs.dense, 1)
    const last = m.layers[1]
    if (last.type !== 'dense') throw new Error('unexpected')
    const { scale, zeroPoint } = last.output
    expect(Array.from(dequantizeLogits(m, Int8Array.of(zeroPoint, zeroPoint + 2)))).toEqual([0, Math.fround(2 * scale)])
  })
})
