import { beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tensor, tidy, type Tensor } from '@tensorflow/tfjs-core'
import { layers, model as functionalModel, input, sequential } from '@tensorflow/tfjs-layers'
import type { ModelSpec, SpecModel } from '../../../shared/model/spec'
import { Rng } from '../../../shared/random'
import { initBackend } from '../backend'
import { saveLayersFiles } from '../testing/layers-files'
import { forward } from './forward'
import { importLayersModel } from './import'
import { initWeights } from './init'
import { flatten, paramLayout } from './layout'
import { toLayersModel } from './layers'

beforeAll(() => initBackend())

const tmp = () => mkdtempSync(join(tmpdir(), 'diredi-model-'))
const rng = new Rng(11)
const randomInput = (shape: number[], n: number) => tensor(Float32Array.from({ length: n * shape.reduce((a, b) => a * b, 1) }, () => rng.next()), [n, ...shape])

const convSpec: ModelSpec = {
  inputShape: [12, 12, 2],
  classes: 4,
  layers: [
    { type: 'conv2d', filters: 6, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
    { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'valid' },
    { type: 'depthwiseConv2d', kernel: [3, 3], strides: [2, 2], padding: 'same', depthMultiplier: 2, activation: 'relu6' },
    { type: 'avgPool2d', pool: [2, 2], strides: [1, 1], padding: 'valid' },
    { type: 'flatten' },
    { type: 'dense', units: 8, activation: 'relu' },
    { type: 'reshape', shape: [2, 2, 2] },
    { type: 'globalAvgPool2d' },
    { type: 'dense', units: 4, activation: 'linear' }
  ]
}

function viaForward(m: SpecModel, x: Tensor): Float32Array {
  const byName = new Map(m.weights.tensors.map((t) => [t.name, tensor(t.data, t.shape)]))
  return tidy(() => forward(m.spec, (n) => byName.get(n)!, x).dataSync() as Float32Array)
}

function expectNear(a: Float32Array, b: Float32Array, tol = 1e-4) {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  expect(worst).toBeLessThan(tol)
}

describe('spec <-> tfjs layers model', () => {
  it('the layers model computes what the spec’s forward pass computes', () => {
    const m: SpecModel = { spec: convSpec, weights: initWeights(convSpec, 5) }
    const lm = toLayersModel(m)
    const x = randomInput(convSpec.inputShape, 3)
    expectNear((lm.predict(x) as Tensor).dataSync() as Float32Array, viaForward(m, x))
    lm.dispose()
  })

  it('saved as model.json + weights and imported, gives back the same spec and weights', async () => {
    const m: SpecModel = { spec: convSpec, weights: initWeights(convSpec, 6) }
    const lm = toLayersModel(m)
    const path = await saveLayersFiles(lm, tmp())
    lm.dispose()
    const back = await importLayersModel(path)
    expect(back.spec).toEqual(convSpec)
    expect(flatten(paramLayout(back.spec), back.weights)).toEqual(flatten(paramLayout(convSpec), m.weights))
  })

  it('folds batch normalisation and activation layers, drops dropout and the final softmax', async () => {
    const lm = sequential()
    lm.add(layers.conv2d({ inputShape: [10, 10, 1], filters: 3, kernelSize: 3, useBias: false }))
    lm.add(layers.batchNormalization({ epsilon: 0.01 }))
    lm.add(layers.reLU({ maxValue: 6 }))
    lm.add(layers.dropout({ rate: 0.5 }))
    lm.add(layers.flatten())
    lm.add(layers.dense({ units: 5 }))
    lm.add(layers.activation({ activation: 'relu' }))
    lm.add(layers.dense({ units: 3, activation: 'softmax' }))
    // Non-trivial normalisation statistics.
    const bn = lm.layers[1]
    bn.setWeights(bn.getWeights().map((w, i) => tensor(Float32Array.from({ length: w.size }, () => (i === 3 ? 0.5 + rng.next() : rng.normal())), w.shape)))
    const path = await saveLayersFiles(lm, tmp())
    const back = await importLayersModel(path)
    expect(back.spec.layers.map((l) => l.type)).toEqual(['conv2d', 'flatten', 'dense', 'dense'])
    expect(back.spec.layers[0]).toMatchObject({ activation: 'relu6' })
    expect(back.spec.layers[2]).toMatchObject({ activation: 'relu' })
    expect(back.spec.layers[3]).toMatchObject({ activation: 'linear' })
    const x = randomInput([10, 10, 1], 4)
    const probs = (lm.predict(x) as Tensor).dataSync() as Float32Array
    const logits = viaForward(back, x)
    const softmax = new Float32Array(logits.length)
    for (let r = 0; r < 4; r++) {
      const row = Array.from(logits.subarray(r * 3, r * 3 + 3))
      const e = row.map((v) => Math.exp(v - Math.max(...row)))
      e.forEach((v, c) => (softmax[r * 3 + c] = v / e.reduce((a, b) => a + b, 0)))
    }
    expectNear(softmax, probs, 1e-4)
  })

  it('refuses unsupported layers, branches and activations, naming the layer', async () => {
    const c1 = sequential()
    c1.add(layers.conv1d({ inputShape: [8, 3], filters: 2, kernelSize: 3, name: 'temporal' }))
    c1.add(layers.flatten())
    c1.add(layers.dense({ units: 2 }))
    await expect(importLayersModel(await saveLayersFiles(c1, tmp()))).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(/layer 0 "temporal" is a Conv1D, which the console cannot import/) })

    const inp = input({ shape: [6] })
    const a = layers.dense({ units: 4 }).apply(inp)
    const b = layers.dense({ units: 4 }).apply(inp)
    const out = layers.dense({ units: 2 }).apply(layers.add().apply([a, b] as never) as never)
    const branchy = functionalModel({ inputs: inp, outputs: out as never })
    await expect(importLayersModel(await saveLayersFiles(branchy, tmp()))).rejects.toThrow(/is a Add, which the console cannot import/)

    const sig = sequential()
    sig.add(layers.dense({ inputShape: [6], units: 4, activation: 'sigmoid', name: 'squash' }))
    sig.add(layers.dense({ units: 2 }))
    await expect(importLayersModel(await saveLayersFiles(sig, tmp()))).rejects.toThrow(/layer 0 "squash" \(Dense\): activation "sigmoid" is not supported/)
  })

  it('refuses missing, malformed and truncated files with what is wrong', async () => {
    const dir = tmp()
    await expect(importLayersModel(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'NOT_FOUND' })
    writeFileSync(join(dir, 'bad.json'), '{"modelTopology": ')
    await expect(importLayersModel(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(/not valid JSON/) })
    const m = toLayersModel({ spec: convSpec, weights: initWeights(convSpec, 1) })
    const path = await saveLayersFiles(m, dir)
    const w = readFileSync(join(dir, 'weights.bin'))
    writeFileSync(join(dir, 'weights.bin'), w.subarray(0, w.length - 8))
    await expect(importLayersModel(path)).rejects.toThrow(/weights.bin hold \d+ bytes but .* describes \d+; the files do not belong together or are truncated/)
  })
})
