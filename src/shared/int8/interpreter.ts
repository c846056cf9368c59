/**
 * The reference int8 interpreter: integer-only inference, exactly what a board must compute. The
 * golden-vector check compares a board's int8 logits with `runInt8` bit for bit.
 *
 * A model is checked and planned once (shapes, scratch buffers) and the plan is cached per model
 * object: treat an Int8Model as immutable once it has been run. Running allocates only the returned
 * logits.
 */
import { clampInt8, roundHalfAwayFromZero } from './fixedpoint'
import { convKernel, denseKernel, depthwiseKernel, globalAvgPoolKernel, poolKernel, prepareLayer, type PreparedLayer, type Scratch } from './kernels'
import { isWeighted, outputParams, type Int8Model } from './model'
import { checkInt8Model } from './validate'

interface Plan {
  shapes: number[][]
  sizes: number[]
  /** Zero point of each layer's input. */
  zeroPoints: number[]
  /** Per weighted layer, its constants prepared for the kernels; null for the others. */
  prepared: Array<PreparedLayer | null>
  /** Two activation buffers used in turn, each as large as the largest activation. */
  ping: Int8Array
  pong: Int8Array
  scratch: Scratch
  inSize: number
}

const plans = new WeakMap<Int8Model, Plan>()

function planOf(m: Int8Model): Plan {
  let p = plans.get(m)
  if (p) return p
  const shapes = checkInt8Model(m)
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1))
  const zeroPoints: number[] = []
  let zp = m.input.zeroPoint
  for (const l of m.layers) {
    zeroPoints.push(zp)
    if (isWeighted(l)) zp = l.output.zeroPoint
  }
  const maxAct = Math.max(...sizes)
  const maxCh = Math.max(1, ...shapes.map((s) => s[s.length - 1]))
  p = {
    shapes,
    sizes,
    zeroPoints,
    ping: new Int8Array(maxAct),
    pong: new Int8Array(maxAct),
    prepared: m.layers.map((l) => (isWeighted(l) ? prepareLayer(l) : null)),
    scratch: { acc: new Int32Array(maxCh) },
    inSize: sizes[0]
  }
  plans.set(m, p)
  return p
}

/** Number of int8 values in one input sample. */
export const inputSize = (m: Int8Model): number => planOf(m).inSize

/**
 * Quantises float inputs (one sample or a batch, row-major) with the model's input scale and zero
 * point: q = clamp(round_half_away_from_zero(x / scale) + zeroPoint, -128, 127), computed in float64.
 * A host-side helper: boards receive int8 inputs.
 */
export function quantizeInput(m: Int8Model, x: Float32Array, out = new Int8Array(x.length)): Int8Array {
  const { scale, zeroPoint } = m.input
  for (let i = 0; i < x.length; i++) out[i] = clampInt8(roundHalfAwayFromZero(x[i] / scale) + zeroPoint)
  return out
}

/**
 * Runs one sample. `input` holds inputSize(m) int8 values (NHWC); returns the `classes` int8 logits.
 * `onLayer`, if given, sees each layer's int8 output (a view valid only during the call), for
 * debugging a board layer by layer.
 */
export function runInt8(m: Int8Model, input: Int8Array, onLayer?: (index: number, output: Int8Array) => void): Int8Array {
  const out = new Int8Array(m.classes)
  runInto(m, planOf(m), input, 0, out, 0, onLayer)
  return out
}

/** Runs n samples stored one after the other in `inputs`; returns n * classes int8 logits. */
export function runInt8Batch(m: Int8Model, inputs: Int8Array): Int8Array {
  const p = planOf(m)
  if (inputs.length % p.inSize) throw new RangeError(`runInt8Batch: ${inputs.length} values is not a whole number of samples of ${p.inSize}`)
  const n = inputs.length / p.inSize
  const out = new Int8Array(n * m.classes)
  for (let i = 0; i < n; i++) runInto(m, p, inputs, i * p.inSize, out, i * m.classes)
  return out
}

/** Dequantises int8 logits: (q - zeroPoint) * scale with the model's output parameters. */
export function dequantizeLogits(m: Int8Model, q: Int8Array): Float32Array {
  const { scale, zeroPoint } = outputParams(m)
  const out = new Float32Array(q.length)
  for (let i = 0; i < q.length; i++) out[i] = (q[i] - zeroPoint) * scale
  return out
}

function runInto(m: Int8Model, p: Plan, inputs: Int8Array, inAt: number, out: Int8Array, outAt: number, onLayer?: (i: number, o: Int8Array) => void): void {
  if (inputs.length - inAt < p.inSize) throw new RangeError(`runInt8: the input needs ${p.inSize} int8 values, got ${inputs.length - inAt}`)
  let cur = inputs.subarray(inAt, inAt + p.inSize)
  let next = p.ping
  for (let i = 0; i < m.layers.length; i++) {
    const l = m.layers[i]
    const inShape = p.shapes[i]
    const outShape = p.shapes[i + 1]
    const dst = next.subarray(0, p.sizes[i + 1])
    switch (l.type) {
      case 'dense':
        denseKernel(l, p.prepared[i] as PreparedLayer, cur, p.zeroPoints[i], dst, p.scratch)
        break
      case 'conv2d':
        convKernel(l, p.prepared[i] as PreparedLayer, inShape, outShape, cur, p.zeroPoints[i], dst, p.scratch)
        break
      case 'depthwiseConv2d':
        depthwiseKernel(l, p.prepared[i] as PreparedLayer, inShape, outShape, cur, p.zeroPoints[i], dst, p.scratch)
        break
      case 'maxPool2d':
      case 'avgPool2d':
        poolKernel(l, inShape, outShape, cur, dst)
        break
      case 'globalAvgPool2d':
        globalAvgPoolKernel(inShape, cur, dst)
        break
      case 'flatten':
      case 'reshape':
        // NHWC row-major: neither the values nor their order change, so the buffer is kept.
        onLayer?.(i, cur)
        continue
    }
    onLayer?.(i, dst)
    cur = dst
    next = next === p.ping ? p.pong : p.ping
  }
  out.set(cur, outAt)
}
