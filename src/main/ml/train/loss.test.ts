import { beforeAll, describe, expect, it } from 'vitest'
import { tensor1d, tensor2d } from '@tensorflow/tfjs-core'
import { Rng } from '../../../shared/random'
import { initBackend } from '../backend'
import { distillLoss } from './loss'

beforeAll(() => initBackend())

/** The loss of docs/method.md §1, written out in float64 from the formula, for comparison. */
function reference(s: number[][], t: number[][], y: number[], w: number[], alpha: number, tau: number, denom: number): number {
  const logSoftmax = (z: number[]) => {
    const m = Math.max(...z)
    const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0))
    return z.map((v) => v - lse)
  }
  let total = 0
  for (let i = 0; i < s.length; i++) {
    const ce = -logSoftmax(s[i])[y[i]]
    const lt = logSoftmax(t[i].map((v) => v / tau))
    const ls = logSoftmax(s[i].map((v) => v / tau))
    const kl = lt.reduce((a, v, c) => a + Math.exp(v) * (v - ls[c]), 0)
    total += w[i] * (alpha * ce + (1 - alpha) * tau * tau * kl)
  }
  return total / denom
}

describe('distillLoss', () => {
  it('equals w·[alpha·CE + (1-alpha)·tau²·KL(teacher || student)] summed and divided', () => {
    const rng = new Rng(4)
    for (const [alpha, tau] of [[0.3, 4], [0, 2], [1, 4], [0.5, 1]]) {
      const n = 7
      const c = 5
      const s = Array.from({ length: n }, () => Array.from({ length: c }, () => 3 * rng.normal()))
      const t = Array.from({ length: n }, () => Array.from({ length: c }, () => 3 * rng.normal()))
      const y = Array.from({ length: n }, () => rng.int(c))
      const w = Array.from({ length: n }, () => rng.next() * 2)
      const oneHot = y.map((k) => Array.from({ length: c }, (_, j) => (j === k ? 1 : 0)))
      const got = distillLoss(tensor2d(s), tensor2d(oneHot), tensor1d(w), tensor2d(t), { alpha, tau, denominator: 16 }).dataSync()[0]
      expect(got).toBeCloseTo(reference(s, t, y, w, alpha, tau, 16), 4)
    }
  })

  it('is zero for the KL part when student and teacher agree, and ignores a missing teacher', () => {
    const z = [[1, 2, 3]]
    const kl = distillLoss(tensor2d(z), tensor2d([[0, 0, 1]]), tensor1d([1]), tensor2d(z), { alpha: 0, tau: 4, denominator: 1 }).dataSync()[0]
    expect(Math.abs(kl)).toBeLessThan(1e-6)
    const ce = distillLoss(tensor2d(z), tensor2d([[0, 0, 1]]), tensor1d([1]), null, { alpha: 0.3, tau: 4, denominator: 1 }).dataSync()[0]
    expect(ce).toBeCloseTo(reference(z, z, [2], [1], 1, 4, 1), 5)
  })
})
