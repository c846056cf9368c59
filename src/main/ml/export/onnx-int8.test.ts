/**
 * The int8 model as QLinear ONNX, run in onnxruntime-node, against the reference interpreter. Stated
 * tolerance: int8 logits within 1 step of the reference (QLinearConv requantises in float with ties to
 * even, the reference in fixed point), identical on >= 95%; layers without requantisation exactly equal.
 */
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { dequantizeLogits, quantizeInput, runInt8Batch } from '../../../shared/int8/interpreter'
import { randomInt8Inputs, randomInt8Model } from '../../../shared/int8/testing'
import { randomInputs, randomSpecModel } from '../../../shared/model/random'
import type { ModelSpec } from '../../../shared/model/spec'
import { quantizeModel } from '../quantize/quantize'
import { exportInt8Onnx } from './onnx-int8'

const specs: Record<string, ModelSpec> = {
  dense: { inputShape: [64], classes: 10, layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] },
  conv: {
    inputShape: [10, 9, 3],
    classes: 5,
    layers: [
      { type: 'conv2d', filters: 6, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
      { type: 'depthwiseConv2d', kernel: [3, 3], strides: [2, 2], padding: 'same', depthMultiplier: 2, activation: 'relu6' },
      { type: 'maxPool2d', pool: [3, 2], strides: [2, 2], padding: 'valid' },
      { type: 'flatten' },
      { type: 'dense', units: 5, activation: 'linear' }
    ]
  },
  pooling: {
    inputShape: [108],
    classes: 5,
    layers: [
      { type: 'reshape', shape: [6, 6, 3] },
      { type: 'conv2d', filters: 6, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
      { type: 'avgPool2d', pool: [2, 2], strides: [1, 1], padding: 'same' },
      { type: 'globalAvgPool2d' },
      { type: 'dense', units: 5, activation: 'linear' }
    ]
  }
}

async function run(bytes: Uint8Array, x: Float32Array, shape: number[], n: number): Promise<{ q: Int8Array; f: Float32Array }> {
  const s = await ort.InferenceSession.create(bytes)
  try {
    const r = await s.run({ input: new ort.Tensor('float32', x, [n, ...shape]) })
    return { q: r.logits_int8.data as Int8Array, f: r.logits.data as Float32Array }
  } finally {
    await s.release()
  }
}

describe('int8 ONNX export (QLinear)', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`runs in onnxruntime-node within one step of the reference interpreter (${name})`, async () => {
      const m = quantizeModel(randomSpecModel(spec, 1), randomInputs(spec, 200, 5))
      const n = 200
      const x = randomInputs(spec, n, 6)
      const want = runInt8Batch(m, quantizeInput(m, x))
      const got = await run(exportInt8Onnx(m), x, spec.inputShape, n)
      let same = 0
      let maxStep = 0
      for (let i = 0; i < want.length; i++) {
        if (got.q[i] === want[i]) same++
        maxStep = Math.max(maxStep, Math.abs(got.q[i] - want[i]))
      }
      console.info(`${name}: ${((100 * same) / want.length).toFixed(2)}% of int8 logits identical, largest difference ${maxStep} step(s)`)
      expect(maxStep).toBeLessThanOrEqual(1)
      expect(same / want.length).toBeGreaterThanOrEqual(0.95)
      expect(Array.from(got.f)).toEqual(Array.from(dequantizeLogits(m, got.q)))
    })
  }

  it('reproduces the reference average pooling exactly, rounding included', async () => {
    const spec: ModelSpec = {
      inputShape: [6, 5, 4],
      classes: 4,
      layers: [
        { type: 'avgPool2d', pool: [2, 2], strides: [1, 1], padding: 'same' },
        { type: 'maxPool2d', pool: [2, 2], strides: [1, 2], padding: 'same' },
        { type: 'avgPool2d', pool: [3, 2], strides: [2, 1], padding: 'valid' },
        { type: 'globalAvgPool2d' }
      ]
    }
    const m = randomInt8Model(spec, 3)
    const n = 300
    // Integer-valued inputs quantise without rounding, so both sides see the same int8 input.
    const qIn = randomInt8Inputs(6 * 5 * 4, n, 4)
    const x = Float32Array.from(qIn, (v) => (v - m.input.zeroPoint) * m.input.scale)
    expect(Array.from(quantizeInput(m, x))).toEqual(Array.from(qIn))
    const got = await run(exportInt8Onnx(m), x, spec.inputShape, n)
    expect(Array.from(got.q)).toEqual(Array.from(runInt8Batch(m, qIn)))
  })
})
