import { describe, expect, it } from 'vitest'
import { decodeArtifact, encodeArtifact } from '../../../shared/int8/format'
import { quantizeInput, runInt8Batch } from '../../../shared/int8/interpreter'
import { forwardFloat } from '../../../shared/model/forward'
import { randomInputs, randomSpecModel } from '../../../shared/model/random'
import type { ModelSpec } from '../../../shared/model/spec'
import { collectRanges } from './calibrate'
import { evaluateFloat, evaluateInt8, evaluateInt8Only } from './evaluate'
import { chooseQParams, quantizeModel } from './quantize'

const specs: Record<string, ModelSpec> = {
  dense: { inputShape: [20], classes: 4, layers: [{ type: 'dense', units: 16, activation: 'relu6' }, { type: 'dense', units: 4, activation: 'linear' }] },
  conv: {
    inputShape: [10, 9, 3],
    classes: 5,
    layers: [
      { type: 'conv2d', filters: 6, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
      { type: 'depthwiseConv2d', kernel: [3, 3], strides: [2, 2], padding: 'same', depthMultiplier: 2, activation: 'relu6' },
      { type: 'conv2d', filters: 8, kernel: [1, 1], strides: [1, 1], padding: 'valid', activation: 'linear' },
      { type: 'avgPool2d', pool: [2, 2], strides: [1, 1], padding: 'same' },
      { type: 'maxPool2d', pool: [3, 2], strides: [2, 2], padding: 'valid' },
      { type: 'flatten' },
      { type: 'dense', units: 5, activation: 'linear' }
    ]
  },
  gap: {
    inputShape: [64],
    classes: 3,
    layers: [
      { type: 'reshape', shape: [8, 8, 1] },
      { type: 'conv2d', filters: 4, kernel: [3, 3], strides: [2, 2], padding: 'valid', activation: 'relu' },
      { type: 'globalAvgPool2d' },
      { type: 'dense', units: 3, activation: 'linear' }
    ]
  }
}

describe('quantisation parameters', () => {
  it('covers the range, keeps zero exact, and gives ReLU outputs zero point -128', () => {
    expect(chooseQParams([0, 2.55])).toEqual({ scale: Math.fround(0.01), zeroPoint: -128 })
    const q = chooseQParams([-1, 3])
    expect(q.scale).toBe(Math.fround(4 / 255))
    expect(Math.abs((-1 - 0) / q.scale + q.zeroPoint - -128)).toBeLessThanOrEqual(0.5)
    // A range that does not contain 0 is widened to contain it.
    expect(chooseQParams([2, 5])).toEqual(chooseQParams([0, 5]))
    expect(chooseQParams([-5, -2])).toEqual({ scale: Math.fround(5 / 255), zeroPoint: 127 })
    // A constant-zero tensor still gets a valid (tiny) scale.
    expect(chooseQParams([0, 0]).scale).toBeGreaterThan(0)
  })

  it('percentile calibration clips outliers that min/max keeps', () => {
    const spec: ModelSpec = { inputShape: [1], classes: 1, layers: [{ type: 'dense', units: 1, activation: 'linear' }] }
    const model = { spec, weights: { tensors: [{ name: '0/kernel', shape: [1, 1], data: Float32Array.of(1) }, { name: '0/bias', shape: [1], data: Float32Array.of(0) }] } }
    const x = Float32Array.from({ length: 10000 }, (_, i) => (i === 5000 ? 1000 : (i % 100) / 100))
    expect(collectRanges(model, x).input[1]).toBe(1000)
    const p = collectRanges(model, x, { method: 'percentile', percentile: 99.9, batch: 1000 })
    expect(p.input[1]).toBeLessThan(1)
    expect(p.layers[0][1]).toBeLessThan(1)
  })
})

describe('post-training quantisation of random models', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`int8 logits track the float logits for every layer kind (${name})`, () => {
      const model = randomSpecModel(spec, 11)
      const calib = randomInputs(spec, 300, 12)
      const m = quantizeModel(model, calib)
      // On the calibration inputs no activation leaves its calibrated range, so nothing saturates and the
      // error is rounding only. Relative to the logit range: a wrong weight layout would be off by O(1).
      const onCalib = evaluateInt8(m, model, calib, new Int32Array(300))
      expect(onCalib.maxAbsLogitError / onCalib.floatLogitRange).toBeLessThan(0.04)
      expect(onCalib.meanAbsLogitError / onCalib.floatLogitRange).toBeLessThan(0.01)
      // Fresh inputs may exceed the ranges now and then (saturating), but agree on the class.
      const x = randomInputs(spec, 300, 13)
      const ev = evaluateInt8(m, model, x, new Int32Array(300))
      expect(ev.meanAbsLogitError / ev.floatLogitRange).toBeLessThan(0.01)
      expect(ev.agreement).toBeGreaterThanOrEqual(0.97)
      // The stand-alone evaluations give the same figures as the joint one.
      const labels = Int32Array.from({ length: 300 }, (_, i) => i % spec.classes)
      const joint = evaluateInt8(m, model, x, labels)
      expect(evaluateFloat(model, x, labels)).toEqual(joint.float)
      expect(evaluateInt8Only(m, x, labels)).toEqual(joint.int8)
      // The artifact round trip runs identically.
      const back = decodeArtifact(encodeArtifact(m))
      const q = quantizeInput(m, x)
      expect(Array.from(runInt8Batch(back, q))).toEqual(Array.from(runInt8Batch(m, q)))
    })
  }

  it('refuses a model with a missing weight, naming it', () => {
    const model = randomSpecModel(specs.dense, 1)
    const broken = { ...model, weights: { tensors: model.weights.tensors.filter((t) => t.name !== '1/bias') } }
    expect(() => quantizeModel(broken, randomInputs(specs.dense, 4))).toThrow(/1\/bias is missing/)
    expect(() => forwardFloat(model, new Float32Array(21))).toThrow(/whole number/)
  })
})
