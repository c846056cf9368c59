/**
 * An int8 model: what the artifact file holds and what the reference interpreter runs. It mirrors a
 * `ModelSpec` layer for layer (same layer kinds, same NHWC activations, same TensorFlow padding), with
 * integer weights and the fixed-point constants a microcontroller kernel needs, so a board never computes
 * with floats.
 *
 * Quantisation scheme (TFLite int8):
 * - a real activation value r is stored as q = clamp(round(r / scale) + zeroPoint, -128, 127);
 * - weights are symmetric per output channel: w ~ q_w * weightScales[c], q_w in [-127, 127];
 * - biases are int32 with scale inputScale * weightScales[c] (zero point 0);
 * - a weighted layer's int32 accumulator acc = bias[c] + sum (q_in - inZeroPoint) * q_w is requantised as
 *   q_out = clamp(multiplyByQuantizedMultiplier(acc, multiplier[c], shift[c]) + outZeroPoint, actMin, actMax)
 *   where multiplier[c] * 2^shift[c] / 2^31 ~ inputScale * weightScales[c] / outputScale, and [actMin,
 *   actMax] is the fused activation (ReLU, ReLU6) as an int8 clamp.
 * Pooling, flatten and reshape layers keep their input's scale and zero point.
 */
import type { Activation, LayerSpec, ModelSpec, ModelWeights, NamedTensor, Padding } from '../model/spec'

/** How a real tensor maps to int8: r = (q - zeroPoint) * scale. scale is a float32 value > 0. */
export interface QParams {
  scale: number
  /** In [-128, 127]. */
  zeroPoint: number
}

/** The requantisation of one weighted layer's output, per output channel. */
export interface OutputQuant extends QParams {
  /** Fused activation clamp bounds, int8, actMin <= actMax. */
  actMin: number
  actMax: number
  /** Per output channel, in [2^30, 2^31) or 0. */
  multiplier: Int32Array
  /** Per output channel, in [-31, 30]. */
  shift: Int32Array
}

interface Weighted {
  activation: Activation
  /** int32, per output channel. */
  bias: Int32Array
  /** float32 > 0, per output channel (for dequantising weights; the kernels do not use them). */
  weightScales: Float32Array
  output: OutputQuant
}

export type Int8Layer =
  /** weights: [units][inFeatures] (output-major, as TFLite FullyConnected). */
  | (Weighted & { type: 'dense'; inFeatures: number; units: number; weights: Int8Array })
  /** weights: [filters][kh][kw][inChannels] (OHWI, as TFLite Conv2D). */
  | (Weighted & {
      type: 'conv2d'
      inChannels: number
      filters: number
      kernel: [number, number]
      strides: [number, number]
      padding: Padding
      weights: Int8Array
    })
  /** weights: [kh][kw][inChannels * depthMultiplier], output channel = ic * depthMultiplier + m (as TFLite). */
  | (Weighted & {
      type: 'depthwiseConv2d'
      inChannels: number
      depthMultiplier: number
      kernel: [number, number]
      strides: [number, number]
      padding: Padding
      weights: Int8Array
    })
  | { type: 'maxPool2d'; pool: [number, number]; strides: [number, number]; padding: Padding }
  | { type: 'avgPool2d'; pool: [number, number]; strides: [number, number]; padding: Padding }
  | { type: 'globalAvgPool2d' }
  | { type: 'flatten' }
  | { type: 'reshape'; shape: number[] }

export type Int8LayerType = Int8Layer['type']
export type WeightedInt8Layer = Extract<Int8Layer, { weights: Int8Array }>

export interface Int8Model {
  /** Shape of one input sample without batch, NHWC, e.g. [28, 28, 1] or [784]. */
  inputShape: number[]
  /** Number of logits the model produces. */
  classes: number
  /** How float inputs are quantised. */
  input: QParams
  layers: Int8Layer[]
}

export const isWeighted = (l: Int8Layer): l is WeightedInt8Layer =>
  l.type === 'dense' || l.type === 'conv2d' || l.type === 'depthwiseConv2d'

/** The scale and zero point of the model's logits: those of the last weighted layer, or of the input. */
export function outputParams(m: Int8Model): QParams {
  for (let i = m.layers.length - 1; i >= 0; i--) {
    const l = m.layers[i]
    if (isWeighted(l)) return { scale: l.output.scale, zeroPoint: l.output.zeroPoint }
  }
  return m.input
}

/** The float architecture an int8 model implements (layer kinds and hyperparameters, no weights). */
export function int8ToSpec(m: Int8Model): ModelSpec {
  const layers = m.layers.map((l): LayerSpec => {
    switch (l.type) {
      case 'dense':
        return { type: 'dense', units: l.units, activation: l.activation }
      case 'conv2d':
        return { type: 'conv2d', filters: l.filters, kernel: l.kernel, strides: l.strides, padding: l.padding, activation: l.activation }
      case 'depthwiseConv2d':
        return { type: 'depthwiseConv2d', kernel: l.kernel, strides: l.strides, padding: l.padding, depthMultiplier: l.depthMultiplier, activation: l.activation }
      case 'maxPool2d':
      case 'avgPool2d':
        return { type: l.type, pool: l.pool, strides: l.strides, padding: l.padding }
      case 'reshape':
        return { type: 'reshape', shape: l.shape }
      default:
        return { type: l.type }
    }
  })
  return { inputShape: m.inputShape, classes: m.classes, layers }
}

/**
 * The int8 clamp of a fused activation on an output with parameters `q`: ReLU clamps below at the
 * zero point (real 0), ReLU6 also above at round(6 / scale) + zeroPoint (real 6), both within int8.
 */
export function activationClamp(activation: Activation, q: QParams): { actMin: number; actMax: number } {
  if (activation === 'linear') return { actMin: -128, actMax: 127 }
  const actMin = Math.max(-128, q.zeroPoint)
  const six = q.zeroPoint + (6 / q.scale < 0 ? -Math.round(-6 / q.scale) : Math.round(6 / q.scale))
  return { actMin, actMax: activation === 'relu6' ? Math.min(127, six) : 127 }
}

/**
 * The float weights an int8 model stands for: kernels q_w * weightScales[c] back in the spec's layouts
 * (dense [in, out], conv HWIO, depthwise [kh, kw, cin, m]); biases q_b * inputScale * weightScales[c],
 * where inputScale is the scale of the layer's input. A board that trains its model starts from these
 * (docs/method.md §3), and the console rebuilds S_b = these + delta from the same bytes.
 */
export function dequantizeWeights(m: Int8Model): ModelWeights {
  const tensors: NamedTensor[] = []
  let inScale = m.input.scale
  m.layers.forEach((l, i) => {
    if (!isWeighted(l)) return
    const ws = l.weightScales
    const bias = new Float32Array(l.bias.length)
    for (let c = 0; c < bias.length; c++) bias[c] = l.bias[c] * inScale * ws[c]
    let kernel: Float32Array
    let shape: number[]
    if (l.type === 'dense') {
      shape = [l.inFeatures, l.units]
      kernel = new Float32Array(l.inFeatures * l.units)
      for (let o = 0; o < l.units; o++) for (let k = 0; k < l.inFeatures; k++) kernel[k * l.units + o] = l.weights[o * l.inFeatures + k] * ws[o]
    } else if (l.type === 'conv2d') {
      const [kh, kw] = l.kernel
      const ci = l.inChannels
      const co = l.filters
      shape = [kh, kw, ci, co]
      kernel = new Float32Array(kh * kw * ci * co)
      for (let o = 0; o < co; o++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < ci; c++) {
        kernel[((y * kw + x) * ci + c) * co + o] = l.weights[((o * kh + y) * kw + x) * ci + c] * ws[o]
      }
    } else {
      const [kh, kw] = l.kernel
      const ch = l.inChannels * l.depthMultiplier
      shape = [kh, kw, l.inChannels, l.depthMultiplier]
      kernel = new Float32Array(kh * kw * ch)
      for (let j = 0; j < kernel.length; j++) kernel[j] = l.weights[j] * ws[j % ch]
    }
    tensors.push({ name: `${i}/kernel`, shape, data: kernel }, { name: `${i}/bias`, shape: [bias.length], data: bias })
    inScale = l.output.scale
  })
  return { tensors }
}

/** The float model an int8 model stands for (its architecture and dequantised weights). */
export const dequantizeModel = (m: Int8Model): { spec: ModelSpec; weights: ModelWeights } => ({ spec: int8ToSpec(m), weights: dequantizeWeights(m) })
