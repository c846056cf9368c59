import type { LayersModel } from '@tensorflow/tfjs-layers'
import { AppError } from '../../core/errors'
import { weightName, type Activation, type LayerSpec, type NamedTensor, type Padding, type SpecModel } from '../../../shared/model/spec'

type Cfg = Record<string, unknown>
interface LayerLike {
  name: string
  getClassName(): string
  getConfig(): Cfg
  getWeights(): Array<{ shape: number[]; dataSync(): ArrayLike<number> }>
  inboundNodes?: Array<{ inboundLayers: unknown[] }>
}

const IDENTITY = new Set(['Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout'])

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)])

/**
 * A tfjs LayersModel as a SpecModel. Activations (Activation and ReLU layers) and inference-mode
 * BatchNormalization fold into the weight layer right before them; dropout-like layers vanish; a
 * final softmax is dropped because specs end in logits. `file` names the source in errors.
 */
export function fromLayers(model: LayersModel, file: string): SpecModel {
  const fail = (l: LayerLike, i: number, why: string): never => {
    throw new AppError('MODEL_INVALID', `${file}: layer ${i} "${l.name}" (${l.getClassName()}): ${why}`, { layer: l.name, index: i })
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new AppError('MODEL_INVALID', `${file}: the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; only single-input, single-output chains can be imported`)
  const inputShape = model.inputs[0].shape.slice(1)
  if (inputShape.some((d) => d == null)) throw new AppError('MODEL_INVALID', `${file}: the input shape [${inputShape}] is not fully defined; give the model a fixed inputShape`)
  const layers: LayerSpec[] = []
  const tensors: NamedTensor[] = []
  /** Index in `layers` of a weight layer still open to folding (nothing but identities after it). */
  let open: number | null = null
  const list = model.layers as unknown as LayerLike[]
  let prev: LayerLike | null = null
  list.forEach((l, i) => {
    const cls = l.getClassName()
    const c = l.getConfig()
    const inbound = l.inboundNodes ?? []
    if (prev && cls !== 'InputLayer' && (inbound.length !== 1 || inbound[0].inboundLayers.length !== 1 || inbound[0].inboundLayers[0] !== prev)) {
      fail(l, i, 'the model branches or merges here; only straight chains of layers can be imported')
    }
    prev = l
    const last = i === list.length - 1
    const act = (): Activation => {
      const a = String(c.activation ?? 'linear')
      if (a === 'relu' || a === 'relu6' || a === 'linear') return a
      if (a === 'softmax' && last) return 'linear'
      return fail(l, i, `activation "${a}" is not supported (relu, relu6, linear; softmax only on the last layer)`)
    }
    const pad = (): Padding => {
      const p = String(c.padding ?? 'valid')
      return p === 'same' || p === 'valid' ? p : fail(l, i, `padding "${p}" is not supported (same, valid)`)
    }
    const channelsLast = () => {
      if (c.dataFormat && c.dataFormat !== 'channelsLast') fail(l, i, `data format ${String(c.dataFormat)} is not supported; use channels last (NHWC)`)
    }
    const undilated = () => {
      if (c.dilationRate !== undefined && pair(c.dilationRate).some((d) => d !== 1)) fail(l, i, 'dilated convolutions are not supported')
    }
    const addWeighted = (spec: LayerSpec) => {
      const k = layers.length
      const ws = l.getWeights()
      const kernel = ws[0]
      const units = kernel.shape[kernel.shape.length - 1] * (spec.type === 'depthwiseConv2d' ? kernel.shape[2] : 1)
      tensors.push({ name: weightName(k, 'kernel'), shape: kernel.shape.slice(), data: Float32Array.from(kernel.dataSync()) })
      tensors.push({ name: weightName(k, 'bias'), shape: [units], data: c.useBias === false ? new Float32Array(units) : Float32Array.from(ws[1].dataSync()) })
      layers.push(spec)
      open = (spec as { activation: Activation }).activation === 'linear' ? k : null
    }
    switch (cls) {
      case 'InputLayer':
        return
      case 'Dense':
        return addWeighted({ type: 'dense', units: Number(c.units), activation: act() })
      case 'Conv2D':
        channelsLast()
        undilated()
        if (c.groups !== undefined && Number(c.groups) !== 1) fail(l, i, 'grouped convolutions are not supported')
        return addWeighted({ type: 'conv2d', filters: Number(c.filters), kernel: pair(c.kernelSize), strides: pair(c.strides ?? 1), padding: pad(), activation: act() })
      case 'DepthwiseConv2D':
        channelsLast()
        undilated()
        return addWeighted({ type: 'depthwiseConv2d', kernel: pair(c.kernelSize), strides: pair(c.strides ?? 1), padding: pad(), depthMultiplier: Number(c.depthMultiplier ?? 1), activation: act() })
      case 'MaxPooling2D':
      case 'AveragePooling2D':
        channelsLast()
        layers.push({ type: cls === 'MaxPooling2D' ? 'maxPool2d' : 'avgPool2d', pool: pair(c.poolSize), strides: pair(c.strides ?? c.poolSize), padding: pad() })
        open = null
        return
      case 'GlobalAveragePooling2D':
        channelsLast()
        if (c.keepDims) fail(l, i, 'keepDims is not supported')
        layers.push({ type: 'globalAvgPool2d' })
        open = null
        return
      case 'Flatten':
        layers.push({ type: 'flatten' })
        open = null
        return
      case 'Reshape':
        layers.push({ type: 'reshape', shape: (c.targetShape as number[]).map(Number) })
        open = null
        return
      case 'Activation':
      case 'ReLU':
      case 'Softmax': {
        let a: string = cls === 'ReLU' ? (c.maxValue == null ? 'relu' : Number(c.maxValue) === 6 ? 'relu6' : `relu(max ${String(c.maxValue)})`) : cls === 'Softmax' ? 'softmax' : String(c.activation)
        if (cls === 'ReLU' && (Number(c.negativeSlope ?? 0) !== 0 || Number(c.threshold ?? 0) !== 0)) a = 'leaky/thresholded relu'
        if (a === 'linear' || (a === 'softmax' && last)) return
        if (a !== 'relu' && a !== 'relu6') return fail(l, i, `activation "${a}" is not supported (relu, relu6, linear; softmax only last)`)
        if (open === null) return fail(l, i, 'an activation must follow a dense or convolution layer without an activation of its own')
        ;(layers[open] as { activation: Activation }).activation = a
        open = null
        return
      }
      case 'BatchNormalization':
        if (open === null) return fail(l, i, 'batch normalisation can only be imported right after a dense or convolution layer without an activation (it is folded into it)')
        if (c.axis !== undefined && Number(c.axis) !== -1 && Number(c.axis) !== (layers[open].type === 'dense' ? 1 : 3)) fail(l, i, 'batch normalisation must act on the last (channel) axis')
        foldBatchNorm(tensors, open, l.getWeights(), c)
        return
      default:
        if (IDENTITY.has(cls)) return
        return fail(l, i, 'this layer type is not supported')
    }
  })
  const lastLayer = layers[layers.length - 1]
  const classes = lastLayer && lastLayer.type === 'dense' ? lastLayer.units : 0
  if (!classes) throw new AppError('MODEL_INVALID', `${file}: the model must end in a dense layer giving the class logits`)
  return { spec: { inputShape: inputShape as number[], classes, layers }, weights: { tensors } }
}

/** Folds y = gamma·(z - mean)/sqrt(var + eps) + beta into the kernel and bias of layer `k`. */
function foldBatchNorm(tensors: NamedTensor[], k: number, ws: Array<{ dataSync(): ArrayLike<number> }>, c: Cfg): void {
  const center = c.center !== false
  const scaleOn = c.scale !== false
  const eps = Number(c.epsilon ?? 1e-3)
  let j = 0
  const gamma = scaleOn ? ws[j++].dataSync() : null
  const beta = center ? ws[j++].dataSync() : null
  const mean = ws[j++].dataSync()
  const variance = ws[j++].dataSync()
  const kernel = tensors.find((t) => t.name === weightName(k, 'kernel'))!
  const bias = tensors.find((t) => t.name === weightName(k, 'bias'))!
  const ch = bias.data.length
  const s = Float32Array.from({ length: ch }, (_, o) => (gamma ? gamma[o] : 1) / Math.sqrt(variance[o] + eps))
  // The output channel of kernel value i is i % ch: the last axis for dense [in,out] and conv
  // [kh,kw,ci,co]; c·M + m, the last two axes together, for depthwise [kh,kw,C,M].
  for (let i = 0; i < kernel.data.length; i++) kernel.data[i] *= s[i % ch]
  for (let o = 0; o < ch; o++) bias.data[o] = (bias.data[o] - mean[o]) * s[o] + (beta ? beta[o] : 0)
}
