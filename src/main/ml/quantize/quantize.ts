/**
 * Post-training quantisation of a float SpecModel into an Int8Model (TFLite's int8 scheme): activations
 * asymmetric per tensor from calibrated ranges, weights symmetric per output channel, biases int32 at
 * scale inputScale * weightScale[c], requantisation as a 32-bit fixed-point multiplier and shift.
 */
import { INT32_MAX, quantizeMultiplier, roundHalfAwayFromZero } from '../../../shared/int8/fixedpoint'
import { activationClamp, type Int8Layer, type Int8Model, type QParams } from '../../../shared/int8/model'
import { checkInt8Model } from '../../../shared/int8/validate'
import { inferShapes, weightName, type LayerSpec, type SpecModel } from '../../../shared/model/spec'
import { collectRanges, type CalibrationOptions, type Ranges } from './calibrate'

export type QuantizeOptions = CalibrationOptions

/** Quantises `model` with activation ranges measured on `calibration` (n * prod(inputShape) floats). */
export function quantizeModel(model: SpecModel, calibration: Float32Array, opts: QuantizeOptions = {}): Int8Model {
  return quantizeWithRanges(model, collectRanges(model, calibration, opts))
}

/** The same, from ranges already measured. */
export function quantizeWithRanges(model: SpecModel, ranges: Ranges): Int8Model {
  const { spec } = model
  const shapes = inferShapes(spec)
  const input = chooseQParams(ranges.input)
  let cur = input
  let inShape = spec.inputShape
  const layers = spec.layers.map((l, i): Int8Layer => {
    const inS = inShape
    inShape = shapes.outputs[i]
    if (l.type !== 'dense' && l.type !== 'conv2d' && l.type !== 'depthwiseConv2d') return l
    const kernel = find(model, i, 'kernel')
    const bias = find(model, i, 'bias')
    const out = chooseQParams(ranges.layers[i])
    const w = quantizeWeights(l, inS, kernel)
    const outC = w.scales.length
    const fanIn = w.q.length / outC
    const headroom = INT32_MAX - fanIn * 255 * 127
    const qBias = new Int32Array(outC)
    const multiplier = new Int32Array(outC)
    const shift = new Int32Array(outC)
    for (let c = 0; c < outC; c++) {
      const accScale = cur.scale * w.scales[c]
      const b = roundHalfAwayFromZero(bias[c] / accScale)
      qBias[c] = Math.max(-headroom, Math.min(headroom, b))
      const qm = quantizeMultiplier(accScale / out.scale)
      multiplier[c] = qm.multiplier
      shift[c] = qm.shift
    }
    const output = { ...out, ...activationClamp(l.activation, out), multiplier, shift }
    const common = { activation: l.activation, weights: w.q, bias: qBias, weightScales: w.scales, output }
    cur = out
    if (l.type === 'dense') return { type: 'dense', inFeatures: inS[0], units: l.units, ...common }
    if (l.type === 'conv2d') return { type: 'conv2d', inChannels: inS[2], filters: l.filters, kernel: l.kernel, strides: l.strides, padding: l.padding, ...common }
    return { type: 'depthwiseConv2d', inChannels: inS[2], depthMultiplier: l.depthMultiplier, kernel: l.kernel, strides: l.strides, padding: l.padding, ...common }
  })
  const m: Int8Model = { inputShape: spec.inputShape.slice(), classes: spec.classes, input, layers }
  checkInt8Model(m)
  return m
}

/**
 * Asymmetric int8 parameters covering [lo, hi] (widened to include 0, so that zero, ReLU's floor and
 * padding are exact): scale = (hi - lo) / 255 as float32, zeroPoint = round(-128 - lo / scale).
 */
export function chooseQParams([lo0, hi0]: [number, number]): QParams {
  const lo = Math.min(lo0, 0)
  let hi = Math.max(hi0, 0)
  if (hi - lo < 1e-8) hi = lo + 1e-8 // a constant-zero tensor: any scale represents it
  const scale = Math.fround((hi - lo) / 255)
  const zeroPoint = Math.max(-128, Math.min(127, roundHalfAwayFromZero(-128 - lo / scale)))
  return { scale, zeroPoint }
}

type WeightedSpec = Extract<LayerSpec, { type: 'dense' | 'conv2d' | 'depthwiseConv2d' }>

/**
 * Per output channel symmetric int8 weights in the artifact's layout (dense [out][in], conv OHWI,
 * depthwise [kh][kw][cin * mult], which is the tfjs order already), from the tfjs layouts.
 */
function quantizeWeights(l: WeightedSpec, inShape: number[], k: Float32Array): { q: Int8Array; scales: Float32Array } {
  const outC = l.type === 'dense' ? l.units : l.type === 'conv2d' ? l.filters : inShape[2] * l.depthMultiplier
  const fanIn = k.length / outC
  // In all three tfjs layouts the output channel is the last (fastest) index: weight j of channel c is
  // k[j * outC + c], with j = i (dense), (ky * kw + kx) * cin + ic (conv2d) or ky * kw + kx (depthwise).
  const scales = new Float32Array(outC)
  const q = new Int8Array(k.length)
  for (let c = 0; c < outC; c++) {
    let max = 0
    for (let j = 0; j < fanIn; j++) max = Math.max(max, Math.abs(k[j * outC + c]))
    const s = Math.fround(max > 0 ? max / 127 : 1 / 127)
    scales[c] = s
    for (let j = 0; j < fanIn; j++) {
      const v = roundHalfAwayFromZero(k[j * outC + c] / s)
      const at = l.type === 'depthwiseConv2d' ? j * outC + c : c * fanIn + j
      q[at] = Math.max(-127, Math.min(127, v))
    }
  }
  return { q, scales }
}

function find(model: SpecModel, i: number, part: 'kernel' | 'bias'): Float32Array {
  const t = model.weights.tensors.find((w) => w.name === weightName(i, part))
  if (!t) throw new Error(`weight ${weightName(i, part)} is missing`)
  return t.data
}
