/**
 * Seeded random int8 models for tests (here and in the board link, which flashes them): every weight,
 * bias and constant is within the ranges the format allows, so they exercise the kernels without any
 * training.
 */
import { mulberry32 } from '../random'
import { inferShapes, type ModelSpec } from '../model/spec'
import { quantizeMultiplier } from './fixedpoint'
import { activationClamp, type Int8Layer, type Int8Model } from './model'

/** A random int8 model of architecture `spec`, the same for the same seed. */
export function randomInt8Model(spec: ModelSpec, seed = 1): Int8Model {
  const r = mulberry32(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))
  const f32 = (lo: number, hi: number) => Math.fround(lo + r() * (hi - lo))
  const shapes = inferShapes(spec)
  const input = { scale: f32(0.002, 0.05), zeroPoint: int(-128, 20) }
  let inShape = spec.inputShape
  const layers = spec.layers.map((l, i): Int8Layer => {
    const inS = inShape
    inShape = shapes.outputs[i]
    if (l.type !== 'dense' && l.type !== 'conv2d' && l.type !== 'depthwiseConv2d') return l
    const [kernel] = shapes.weights[i]
    const count = kernel.reduce((a, b) => a * b, 1)
    const outC = shapes.outputs[i][shapes.outputs[i].length - 1]
    const fanIn = count / outC
    const weights = Int8Array.from({ length: count }, () => int(-127, 127))
    const bias = Int32Array.from({ length: outC }, () => int(-4000, 4000))
    const weightScales = Float32Array.from({ length: outC }, () => f32(0.001, 0.02))
    // Scale the requantisation so outputs spread over the int8 range instead of all saturating.
    const multiplier = new Int32Array(outC)
    const shift = new Int32Array(outC)
    for (let c = 0; c < outC; c++) {
      const q = quantizeMultiplier((r() * 2 + 0.5) / (Math.sqrt(fanIn) * 127))
      multiplier[c] = q.multiplier
      shift[c] = q.shift
    }
    const oq = { scale: f32(0.01, 0.2), zeroPoint: int(-60, 60) }
    const output = { ...oq, ...activationClamp(l.activation, oq), multiplier, shift }
    const common = { activation: l.activation, bias, weightScales, output, weights }
    if (l.type === 'dense') return { type: 'dense', inFeatures: inS[0], units: l.units, ...common }
    if (l.type === 'conv2d') return { type: 'conv2d', inChannels: inS[2], filters: l.filters, kernel: l.kernel, strides: l.strides, padding: l.padding, ...common }
    return { type: 'depthwiseConv2d', inChannels: inS[2], depthMultiplier: l.depthMultiplier, kernel: l.kernel, strides: l.strides, padding: l.padding, ...common }
  })
  return { inputShape: spec.inputShape.slice(), classes: spec.classes, input, layers }
}

/** `n` random int8 input samples for `m`, one after the other. */
export function randomInt8Inputs(size: number, n: number, seed = 2): Int8Array {
  const r = mulberry32(seed)
  return Int8Array.from({ length: size * n }, () => Math.floor(r() * 256) - 128)
}
