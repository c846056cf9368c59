import { describe, expect, it } from 'vitest'
import { argmaxRows } from '../../../shared/argmax'
import { agreement, classificationReport } from './evaluate'

describe('classification figures', () => {
  it('argmax takes the first of equal maxima', () => {
    expect(Array.from(argmaxRows(Int8Array.of(3, 7, 7, -128, -128, -128), 3))).toEqual([1, 0])
    expect(Array.from(argmaxRows(Float32Array.of(0.1, -2, 5, 4.9), 2))).toEqual([0, 0])
  })

  it('computes accuracy, per-class accuracy and the confusion matrix', () => {
    const labels = Int32Array.of(0, 0, 1, 1, 1, 2)
    const pred = Int32Array.of(0, 1, 1, 1, 0, 2)
    const r = classificationReport(pred, labels, 4)
    expect(r.n).toBe(6)
    expect(r.accuracy).toBeCloseTo(4 / 6)
    expect(r.confusion).toEqual([
      [1, 1, 0, 0],
      [1, 2, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0]
    ])
    expect(r.perClass.map((c) => [c.n, c.correct])).toEqual([[2, 1], [3, 2], [1, 1], [0, 0]])
    expect(r.perClass[1].accuracy).toBeCloseTo(2 / 3)
    expect(r.perClass[3].accuracy).toBeNaN()
  })

  it('refuses mismatched lengths and out-of-range labels', () => {
    expect(() => classificationReport(Int32Array.of(0), Int32Array.of(0, 1), 2)).toThrow(/1 predictions for 2 labels/)
    expect(() => classificationReport(Int32Array.of(0), Int32Array.of(5), 2)).toThrow(/sample 0: label 5/)
    expect(() => agreement(Int32Array.of(0), Int32Array.of())).toThrow(RangeError)
  })

  it('measures agreement', () => {
    expect(agreement(Int32Array.of(1, 2, 3, 4), Int32Array.of(1, 2, 0, 4))).toBe(0.75)
  })
})
