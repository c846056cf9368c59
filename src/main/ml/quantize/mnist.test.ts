/**
 * The acceptance check of quantisation: on the mnist digits (8000 train / 1756 test: mnist.set(8000, 2000)
 * gets only this many test digits, the package holds 863 to 1127 per class) a trained dense and a conv
 * model keep their predictions in int8 on at least 99% of the test split.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeArtifact, encodeArtifact } from '../../../shared/int8/format'
import { forwardFloat } from '../../../shared/model/forward'
import { randomSpecModel } from '../../../shared/model/random'
import type { ModelSpec, SpecModel } from '../../../shared/model/spec'
import { readSpecModel, toLayersModel, trainTf, useWasmBackend } from '../export/tfjs-spec'
import { evaluateInt8 } from './evaluate'
import { mnistDigits, type Digits } from './mnist-fixture'
import { quantizeModel } from './quantize'

let train: Digits
let test: Digits

beforeAll(async () => {
  ;({ train, test } = mnistDigits())
  await useWasmBackend()
})

/** Quantises with 1000 training digits, evaluates on the test split, checks the stated tolerances. */
function check(model: SpecModel, label: string) {
  const m = quantizeModel(model, train.x.subarray(0, 1000 * 784))
  const ev = evaluateInt8(decodeArtifact(encodeArtifact(m)), model, test.x, test.y)
  console.info(`${label}: float acc ${ev.float.accuracy.toFixed(4)}, int8 acc ${ev.int8.accuracy.toFixed(4)}, agreement ${ev.agreement.toFixed(4)}, logit error max ${ev.maxAbsLogitError.toFixed(3)} mean ${ev.meanAbsLogitError.toFixed(4)} over a range of ${ev.floatLogitRange.toFixed(2)}`)
  expect(test.n).toBe(1756)
  expect(ev.agreement).toBeGreaterThanOrEqual(0.99)
  expect(ev.int8.accuracy).toBeGreaterThanOrEqual(ev.float.accuracy - 0.005)
  // Tolerances, relative to the range of the float logits over the test split.
  expect(ev.meanAbsLogitError / ev.floatLogitRange).toBeLessThan(0.005)
  expect(ev.maxAbsLogitError / ev.floatLogitRange).toBeLessThan(0.06)
  expect(ev.int8.confusion.flat().reduce((a, b) => a + b, 0)).toBe(test.n)
  return ev
}

describe('int8 agreement on mnist', () => {
  it('dense 784-32-10 trained in tfjs', async () => {
    const spec: ModelSpec = { inputShape: [784], classes: 10, layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] }
    const lm = toLayersModel(spec, 3)
    await trainTf(lm, spec, train.x, train.y, { epochs: 5, batchSize: 64, learningRate: 0.003 })
    const ev = check(readSpecModel(lm, spec), 'dense 784-32-10')
    expect(ev.float.accuracy).toBeGreaterThan(0.9)
    lm.dispose()
  })

  it('conv + depthwise + pointwise + pool + dense (seeded conv features, trained dense head)', async () => {
    // The convolutional layers keep their seeded random weights (the WASM backend has no Conv2D filter
    // gradient, and the CPU backend needs minutes); the dense head is trained on their features.
    const spec: ModelSpec = {
      inputShape: [28, 28, 1],
      classes: 10,
      layers: [
        { type: 'conv2d', filters: 8, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' },
        { type: 'depthwiseConv2d', kernel: [3, 3], strides: [1, 1], padding: 'same', depthMultiplier: 1, activation: 'relu' },
        { type: 'conv2d', filters: 16, kernel: [1, 1], strides: [1, 1], padding: 'valid', activation: 'relu6' },
        { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'valid' },
        { type: 'flatten' },
        { type: 'dense', units: 64, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'linear' }
      ]
    }
    const base = randomSpecModel(spec, 5)
    let features = new Float32Array(0)
    forwardFloat(base, train.x, (i, out) => {
      if (i === 4) features = out.slice()
    })
    const headSpec: ModelSpec = { inputShape: [784], classes: 10, layers: [spec.layers[5], spec.layers[6]] }
    const head = toLayersModel(headSpec, 4)
    await trainTf(head, headSpec, features, train.y, { epochs: 6, batchSize: 64, learningRate: 0.003 })
    const trained = readSpecModel(head, headSpec).weights.tensors.map((t) => ({ ...t, name: t.name.replace(/^(\d+)\//, (_, d: string) => `${Number(d) + 5}/`) }))
    const model: SpecModel = { spec, weights: { tensors: [...base.weights.tensors.filter((t) => Number(t.name.split('/')[0]) < 5), ...trained] } }
    const ev = check(model, 'conv')
    expect(ev.float.accuracy).toBeGreaterThan(0.9)
    head.dispose()
  })
})
