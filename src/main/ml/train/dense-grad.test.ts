import { beforeAll, describe, expect, it } from 'vitest'
import { tensor, tensor1d, tensor2d, tidy, valueAndGrads, type Scalar, type Tensor } from '@tensorflow/tfjs-core'
import type { ModelSpec } from '../../../shared/model/spec'
import { Rng } from '../../../shared/random'
import { initBackend } from '../backend'
import { forward } from '../model/forward'
import { initWeights } from '../model/init'
import { denseGradients, isDenseChain } from './dense-grad'
import { distillLoss } from './loss'

beforeAll(() => initBackend())

describe('dense-chain gradients written out', () => {
  it('equal autodiff of the distillation loss, for every activation, with and without a teacher', () => {
    const rng = new Rng(21)
    const spec: ModelSpec = {
      inputShape: [3, 4, 1],
      classes: 5,
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 9, activation: 'relu6' },
        { type: 'dense', units: 7, activation: 'relu' },
        { type: 'dense', units: 6, activation: 'linear' },
        { type: 'dense', units: 5, activation: 'linear' }
      ]
    }
    expect(isDenseChain(spec)).toBe(true)
    expect(isDenseChain({ ...spec, layers: [{ type: 'conv2d', filters: 2, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' }, ...spec.layers] })).toBe(false)
    for (const withTeacher of [false, true]) {
      const n = 8
      const weights = initWeights(spec, 3).tensors
      // Large inputs so that some units saturate relu6.
      const x = Float32Array.from({ length: n * 12 }, () => 8 * rng.normal())
      const y = Array.from({ length: n }, () => rng.int(5))
      const oneHot = y.map((k) => Array.from({ length: 5 }, (_, j) => (j === k ? 1 : 0)))
      const w = Array.from({ length: n }, () => rng.next() * 2)
      const t = Array.from({ length: n }, () => Array.from({ length: 5 }, () => 3 * rng.normal()))
      const o = { alpha: withTeacher ? 0.3 : 1, tau: 4, denominator: 16 }
      const [ours, auto] = tidy(() => {
        const ws = weights.map((v) => tensor(v.data, v.shape))
        const byName = new Map(weights.map((v, i) => [v.name, ws[i]]))
        const teacher = withTeacher ? tensor2d(t) : null
        const xs = tensor(x, [n, 3, 4, 1])
        const mine = denseGradients(spec, (name) => byName.get(name)!, xs, tensor2d(oneHot), tensor1d(w), teacher, o)
        const f = (...args: Tensor[]): Scalar => {
          const m = new Map(weights.map((v, i) => [v.name, args[i]]))
          return distillLoss(forward(spec, (name) => m.get(name)!, xs), tensor2d(oneHot), tensor1d(w), teacher, o)
        }
        const ad = valueAndGrads(f)(ws)
        return [
          { loss: mine.loss.dataSync()[0], grads: mine.grads.map((g) => Array.from(g.dataSync())) },
          { loss: ad.value.dataSync()[0], grads: ad.grads.map((g) => Array.from(g.dataSync())) }
        ]
      })
      expect(ours.loss).toBeCloseTo(auto.loss, 5)
      expect(ours.grads).toHaveLength(auto.grads.length)
      ours.grads.forEach((g, i) => {
        const scale = Math.max(1e-6, ...auto.grads[i].map(Math.abs))
        const worst = Math.max(...g.map((v, j) => Math.abs(v - auto.grads[i][j])))
        expect(worst / scale, `${weights[i].name} (teacher ${withTeacher})`).toBeLessThan(1e-4)
      })
    }
  })
})
