/**
 * The framework-neutral description of a model: its layers and its float weights. It is what the ml
 * engine saves, what quantisation reads, what the ONNX exporter and the int8 artifact are made from.
 *
 * Layout conventions (the same as tfjs layers, so weights move without transposes):
 * - activations are NHWC; a sample's input has `inputShape` (e.g. [28, 28, 1] or [784]);
 * - dense kernel [in, out], bias [out];
 * - conv2d kernel [kh, kw, cin, cout] (HWIO), bias [cout];
 * - depthwiseConv2d kernel [kh, kw, cin, depthMultiplier], bias [cin * depthMultiplier];
 * - 'same' padding follows TensorFlow: pad_total = max((ceil(in/s) - 1) * s + k - in, 0), the smaller half
 *   before (top/left), the larger after.
 * The last layer produces logits (no softmax): the softmax belongs to the loss and to the reader.
 */
export type Activation = 'linear' | 'relu' | 'relu6'
export type Padding = 'same' | 'valid'

export type LayerSpec =
  | { type: 'dense'; units: number; activation: Activation }
  | {
      type: 'conv2d'
      filters: number
      kernel: [number, number]
      strides: [number, number]
      padding: Padding
      activation: Activation
    }
  | {
      type: 'depthwiseConv2d'
      kernel: [number, number]
      strides: [number, number]
      padding: Padding
      depthMultiplier: number
      activation: Activation
    }
  | { type: 'maxPool2d'; pool: [number, number]; strides: [number, number]; padding: Padding }
  | { type: 'avgPool2d'; pool: [number, number]; strides: [number, number]; padding: Padding }
  | { type: 'globalAvgPool2d' }
  | { type: 'flatten' }
  | { type: 'reshape'; shape: number[] }

export type LayerType = LayerSpec['type']

export interface ModelSpec {
  /** Shape of one input sample, without the batch dimension. */
  inputShape: number[]
  /** Number of output classes (the units of the last dense layer). */
  classes: number
  layers: LayerSpec[]
}

/** One named float tensor, row-major. Names are `${layerIndex}/kernel` and `${layerIndex}/bias`. */
export interface NamedTensor {
  name: string
  shape: number[]
  data: Float32Array
}

export interface ModelWeights {
  tensors: NamedTensor[]
}

export interface SpecModel {
  spec: ModelSpec
  weights: ModelWeights
}

export const hasWeights = (l: LayerSpec): boolean =>
  l.type === 'dense' || l.type === 'conv2d' || l.type === 'depthwiseConv2d'

export const weightName = (layerIndex: number, part: 'kernel' | 'bias'): string => `${layerIndex}/${part}`

/** Output size of one spatial dimension under TensorFlow padding rules. */
export function convOutSize(inSize: number, k: number, s: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(inSize / s) : Math.floor((inSize - k) / s) + 1
}

/** Padding before (top/left) of one spatial dimension, TensorFlow 'same' rules; 0 for 'valid'. */
export function padBefore(inSize: number, k: number, s: number, padding: Padding): number {
  if (padding === 'valid') return 0
  const out = Math.ceil(inSize / s)
  const total = Math.max((out - 1) * s + k - inSize, 0)
  return Math.floor(total / 2)
}

export interface LayerShapes {
  /** Per layer, its output shape (without batch). */
  outputs: number[][]
  /** Per layer, the shapes of its weights (kernel, bias) or [] for layers without. */
  weights: number[][][]
}

/** Walks the spec and returns every layer's output and weight shapes; throws on an inconsistent spec. */
export function inferShapes(spec: ModelSpec): LayerShapes {
  let shape = spec.inputShape.slice()
  const outputs: number[][] = []
  const weights: number[][][] = []
  spec.layers.forEach((l, i) => {
    const where = `layer ${i} (${l.type})`
    switch (l.type) {
      case 'dense': {
        if (shape.length !== 1) throw new Error(`${where}: dense needs a flat input, got [${shape}]; add a flatten layer`)
        weights.push([[shape[0], l.units], [l.units]])
        shape = [l.units]
        break
      }
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'maxPool2d':
      case 'avgPool2d': {
        if (shape.length !== 3) throw new Error(`${where}: needs an HWC input, got [${shape}]`)
        const [h, w, c] = shape
        const k = l.type === 'conv2d' || l.type === 'depthwiseConv2d' ? l.kernel : l.pool
        const oh = convOutSize(h, k[0], l.strides[0], l.padding)
        const ow = convOutSize(w, k[1], l.strides[1], l.padding)
        if (oh < 1 || ow < 1) throw new Error(`${where}: output would be empty for input [${shape}]`)
        if (l.type === 'conv2d') {
          weights.push([[k[0], k[1], c, l.filters], [l.filters]])
          shape = [oh, ow, l.filters]
        } else if (l.type === 'depthwiseConv2d') {
          weights.push([[k[0], k[1], c, l.depthMultiplier], [c * l.depthMultiplier]])
          shape = [oh, ow, c * l.depthMultiplier]
        } else {
          weights.push([])
          shape = [oh, ow, c]
        }
        break
      }
      case 'globalAvgPool2d': {
        if (shape.length !== 3) throw new Error(`${where}: needs an HWC input, got [${shape}]`)
        weights.push([])
        shape = [shape[2]]
        break
      }
      case 'flatten': {
        weights.push([])
        shape = [shape.reduce((a, b) => a * b, 1)]
        break
      }
      case 'reshape': {
        const n = shape.reduce((a, b) => a * b, 1)
        const m = l.shape.reduce((a, b) => a * b, 1)
        if (n !== m) throw new Error(`${where}: cannot reshape [${shape}] (${n} values) to [${l.shape}] (${m})`)
        weights.push([])
        shape = l.shape.slice()
        break
      }
    }
    outputs.push(shape)
  })
  const last = outputs[outputs.length - 1]
  if (!last || last.length !== 1 || last[0] !== spec.classes) {
    throw new Error(`the model must end in ${spec.classes} logits, but its output is [${last ?? spec.inputShape}]`)
  }
  return { outputs, weights }
}

/** Number of weight values (kernel + bias) of a spec. */
export function countParams(spec: ModelSpec): number {
  return inferShapes(spec)
    .weights.flat()
    .reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0)
}
