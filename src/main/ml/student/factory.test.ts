import { describe, expect, it } from 'vitest'
import type { ModelSpec } from '../../../shared/model/spec'
import { AppError } from '../../core/errors'
import { candidates } from './candidates'
import { chooseStudent } from './factory'
import { footprint } from './footprint'

describe('footprint', () => {
  it('counts int8 kernels at 1 byte, int32 biases at 4, RAM as the peak int8 input + output, and MACs', () => {
    const spec: ModelSpec = {
      inputShape: [8, 8, 1],
      classes: 3,
      layers: [
        { type: 'conv2d', filters: 4, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' },
        { type: 'depthwiseConv2d', kernel: [3, 3], strides: [1, 1], padding: 'valid', depthMultiplier: 2, activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 3, activation: 'linear' }
      ]
    }
    // conv: 3·3·1·4 kernel + 4 bias -> [4,4,4]; depthwise: 3·3·4·2 + 8 -> [2,2,8]; flatten 32; dense 32·3 + 3
    expect(footprint(spec)).toEqual({
      params: 36 + 4 + 72 + 8 + 96 + 3,
      weightBytes: 36 + 16 + 72 + 32 + 96 + 12,
      ramBytes: 64 + 64, // the conv's input (64) + output (64) is the peak
      macs: 64 * 9 + 32 * 9 + 96
    })
  })
})

describe('chooseStudent', () => {
  it('picks a model within the budget, and the bigger the budget the more it is expected to do', () => {
    let lastParams = 0
    for (const kb of [2, 8, 32, 128]) {
      const c = chooseStudent([28, 28, 1], 10, { weightsKb: kb, ramKb: null })
      expect(c.footprint.weightBytes).toBeLessThanOrEqual(kb * 1024)
      expect(c.footprint.params).toBeGreaterThanOrEqual(lastParams)
      lastParams = c.footprint.params
    }
    expect(chooseStudent([28, 28, 1], 10, { weightsKb: 32, ramKb: null }).family).toBe('conv')
  })

  it('respects a RAM budget and a family', () => {
    const c = chooseStudent([28, 28, 1], 10, { weightsKb: 64, ramKb: 4 })
    expect(c.footprint.ramBytes).toBeLessThanOrEqual(4 * 1024)
    expect(chooseStudent([28, 28, 1], 10, { weightsKb: 32, ramKb: null }, 'dsconv').family).toBe('dsconv')
    expect(chooseStudent([20], 3, { weightsKb: 4, ramKb: null }).family).toBe('dense')
  })

  it('refuses a budget nothing fits with BUDGET_UNFITTABLE naming the smallest requirement', () => {
    const smallest = Math.min(...candidates([28, 28, 1], 10).map((c) => footprint(c.spec).weightBytes))
    let err: unknown
    try {
      chooseStudent([28, 28, 1], 10, { weightsKb: 0.1, ramKb: null })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(AppError)
    const e = err as AppError
    expect(e.code).toBe('BUDGET_UNFITTABLE')
    expect(e.message).toContain(`the smallest needs ${Math.round((smallest / 1024) * 100) / 100} KB of weights`)
    expect(e.details).toMatchObject({ smallestWeightsKb: Math.round((smallest / 1024) * 100) / 100 })
    // Plenty of weights but almost no RAM: the RAM is what is named.
    expect(() => chooseStudent([28, 28, 1], 10, { weightsKb: 1000, ramKb: 0.5 })).toThrow(/KB of RAM/)
    expect(() => chooseStudent([4], 2, { weightsKb: 32, ramKb: null }, 'conv')).toThrow(/images of at least 8x8/)
  })
})
