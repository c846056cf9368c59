import { describe, expect, it } from 'vitest'
import { layerRows, perClassFromConfusion, readBudgetKb, readConfusion, readHistory, readPerClass } from './facts'
import { budgetFits, budgetLabel, keyFits } from './budgets'
import { formatMetric } from '../format'

describe('record readers', () => {
  it('take a confusion matrix only when it is square numbers of the right size', () => {
    const c = [[5, 1], [0, 4]]
    expect(readConfusion({ confusion: c }, 2)).toEqual(c)
    expect(readConfusion({ evaluation: { confusion: c } })).toEqual(c)
    expect(readConfusion({ confusion: c }, 3)).toBeNull()
    expect(readConfusion({ confusion: [[1, 2], [3]] })).toBeNull()
    expect(readConfusion({ confusion: [[1, 'x'], [3, 4]] })).toBeNull()
    expect(readConfusion({})).toBeNull()
    expect(perClassFromConfusion([[5, 1], [0, 0]])).toEqual([5 / 6, null])
  })

  it('read per-class accuracy as numbers or evaluation objects, and history rows by epoch', () => {
    expect(readPerClass({ perClass: [0.5, null, 1] })).toEqual([0.5, null, 1])
    expect(readPerClass({ evaluation: { perClass: [{ class: 0, accuracy: 0.25 }, { class: 1, accuracy: null }] } })).toEqual([0.25, null])
    expect(readPerClass({ perClass: [{ n: 3 }] })).toBeNull()
    expect(readHistory({ history: [{ epoch: 1, trainLoss: 2, note: 'x' }] })).toEqual([{ epoch: 1, trainLoss: 2 }])
    expect(readHistory({ history: [{ loss: 1 }] })).toBeNull()
    expect(readBudgetKb({ budget: { weightsKb: 64, ramKb: null } })).toBe(64)
    expect(readBudgetKb({ budget: 64 })).toBeNull()
  })

  it('describe each layer with its output shape and weights', () => {
    const rows = layerRows({
      inputShape: [28, 28, 1],
      classes: 10,
      layers: [
        { type: 'conv2d', filters: 8, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 10, activation: 'linear' }
      ]
    })
    expect(rows.map((r) => [r.type, r.output, r.params])).toEqual([['conv2d', [14, 14, 8], 3 * 3 * 8 + 8], ['flatten', [1568], 0], ['dense', [10], 1568 * 10 + 10]])
    expect(rows[0].config).toBe('8 filters 3×3, stride 2×2, same, relu')
    // a spec that does not add up still lists its layers, without shapes
    expect(layerRows({ inputShape: [3], classes: 2, layers: [{ type: 'dense', units: 4, activation: 'relu' }] })[0].output).toBeNull()
  })

  it('compare sizes with budgets, the own budget first', () => {
    const f = budgetFits(40 * 1024, 48)
    expect(f[0]).toMatchObject({ kb: 48, fits: true })
    expect(f.find((b) => b.kb === 32)).toMatchObject({ fits: false, used: 1.25 })
    expect(budgetFits(100).some((b) => b.note.includes('made for'))).toBe(false)
    // in a table cell: made for, largest exceeded, smallest fitted
    expect(keyFits(budgetFits(100 * 1024, 96)).map((b) => [b.kb, b.fits])).toEqual([[96, false], [64, false], [128, true]])
    expect(keyFits(budgetFits(2048 * 1024)).map((b) => b.kb)).toEqual([1024])
    expect(keyFits(budgetFits(1024)).map((b) => b.kb)).toEqual([32])
    expect(budgetLabel(1024)).toBe('1 MB')
  })

  it('format metrics by what they measure', () => {
    expect(formatMetric('int8Acc', 0.98765)).toBe('98.77%')
    expect(formatMetric('teacherAgreement', 1)).toBe('100.00%')
    expect(formatMetric('weightBytes', 2048)).toBe('2.0 KB')
    expect(formatMetric('epochs', 12)).toBe('12')
    expect(formatMetric('maxAbsLogitError', 0.0123456)).toBe('0.01235')
  })
})
