/**
 * The exported ONNX file, run in onnxruntime-node, against the same model in tfjs (CPU backend, weights
 * copied over) and against the pure-TS float forward pass. Stated tolerance: max |difference| <= 1e-4
 * on logits of order 1.
 */
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { forwardFloat } from '../../../shared/model/forward'
import { randomInputs, randomSpecModel } from '../../../shared/model/random'
import type { ModelSpec } from '../../../shared/model/spec'
import { exportOnnx } from './onnx'
import { predictTf, setSpecWeights, toLayersModel, useCpuBackend } from './tfjs-spec'

const TOLERANCE = 1e-4

const specs: Record<string, ModelSpec> = {
  dense: {
    inputShape: [784],
    classes: 10,
    layers: [
      { type: 'dense', units: 32, activation: 'relu' },
      { type: 'dense', units: 16, activation: 'relu6' },
      { type: 'dense', units: 10, activation: 'linear' }
    ]
  },
  conv: {
    inputShape: [28, 28, 1],
    classes: 10,
    layers: [
      { type: 'conv2d', filters: 8, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' },
      { type: 'conv2d', filters: 12, kernel: [3, 2], strides: [1, 2], padding: 'valid', activation: 'relu6' },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'linear' }
    ]
  },
  'depthwise-separable': {
    inputShape: [15, 13, 3],
    classes: 6,
    layers: [
      { type: 'depthwiseConv2d', kernel: [3, 3], strides: [1, 1], padding: 'same', depthMultiplier: 2, activation: 'relu' },
      { type: 'conv2d', filters: 8, kernel: [1, 1], strides: [1, 1], padding: 'valid', activation: 'relu6' },
      { type: 'depthwiseConv2d', kernel: [5, 4], strides: [2, 3], padding: 'same', depthMultiplier: 1, activation: 'linear' },
      { type: 'conv2d', filters: 6, kernel: [1, 1], strides: [1, 1], padding: 'valid', activation: 'relu' },
      { type: 'globalAvgPool2d' },
      { type: 'dense', units: 6, activation: 'linear' }
    ]
  },
  pooling: {
    inputShape: [108],
    classes: 4,
    layers: [
      { type: 'reshape', shape: [6, 6, 3] },
      { type: 'conv2d', filters: 4, kernel: [2, 2], strides: [1, 1], padding: 'same', activation: 'linear' },
      { type: 'maxPool2d', pool: [3, 3], strides: [2, 2], padding: 'same' },
      { type: 'avgPool2d', pool: [2, 2], strides: [1, 1], padding: 'same' },
      { type: 'avgPool2d', pool: [2, 3], strides: [1, 1], padding: 'valid' },
      { type: 'reshape', shape: [8] },
      { type: 'dense', units: 4, activation: 'linear' }
    ]
  }
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, spec: ModelSpec, n: number): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes)
  try {
    const out = await session.run({ input: new ort.Tensor('float32', x, [n, ...spec.inputShape]) })
    return { data: out.logits.data as Float32Array, dims: out.logits.dims }
  } finally {
    await session.release()
  }
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)

beforeAll(async () => {
  await useCpuBackend()
})

describe('ONNX export', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`runs in onnxruntime-node like tfjs and the float reference (${name})`, async () => {
      const model = randomSpecModel(spec, 21)
      const n = 16
      const x = randomInputs(spec, n, 22)
      const onnx = await runOnnx(exportOnnx(model), x, spec, n)
      expect(onnx.dims).toEqual([n, spec.classes])

      const lm = toLayersModel(spec)
      setSpecWeights(lm, model)
      const tf = predictTf(lm, spec, x)
      lm.dispose()
      const ref = forwardFloat(model, x)

      const scale = tf.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
      console.info(`${name}: max |onnx - tfjs| ${maxAbsDiff(onnx.data, tf).toExponential(2)}, |reference - tfjs| ${maxAbsDiff(ref, tf).toExponential(2)}, |logit| up to ${scale.toFixed(3)}`)
      expect(scale).toBeGreaterThan(0.05) // non-trivial outputs
      expect(maxAbsDiff(onnx.data, tf)).toBeLessThanOrEqual(TOLERANCE)
      expect(maxAbsDiff(ref, tf)).toBeLessThanOrEqual(TOLERANCE)
      expect(maxAbsDiff(onnx.data, ref)).toBeLessThanOrEqual(TOLERANCE)
    })
  }

  it('refuses a model with a missing weight, naming it', () => {
    const model = randomSpecModel(specs.dense, 1)
    const broken = { ...model, weights: { tensors: model.weights.tensors.filter((t) => t.name !== '2/kernel') } }
    expect(() => exportOnnx(broken)).toThrow(/2\/kernel is missing/)
  })
})
