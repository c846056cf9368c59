import { describe, expect, it } from 'vitest'
import type { LoadedDataset } from '../store/types'
import { parseScenario, partition } from './partition'
import { applyCovariate } from './transforms'
import { Rng } from '../../shared/random'

/** A synthetic image dataset: sample i has every pixel = i / n and label i % classes, so samples are traceable. */
function dataset(nTrain: number, nTest: number, classes = 10, shape = [4, 4, 1]): LoadedDataset {
  const per = shape.reduce((a, b) => a * b, 1)
  const split = (n: number, off: number) => {
    const x = new Float32Array(n * per)
    const y = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      x.fill((off + i) / (nTrain + nTest), i * per, (i + 1) * per)
      y[i] = i % classes
    }
    return { x, y, n }
  }
  return {
    record: { id: 'ds-test', name: 't', hash: 'h', format: 'derived', inputShape: shape, classes, classNames: [], splits: { train: nTrain, test: nTest }, classCounts: [], source: [], createdAt: '' },
    train: split(nTrain, 0),
    test: split(nTest, nTrain)
  }
}

const base = {
  name: 'prior-3',
  dataset: 'mnist',
  seed: 7,
  presumed: { fraction: 0.5 },
  boards: [
    { id: 'b1', samples: 60, test_samples: 40, prior: { classes: [0, 3, 7], weights: [0.6, 0.3, 0.1] } },
    { id: 'b2', samples: 60, test_samples: 40, preference: { relabel: { '5': 7 } } },
    { id: 'b3', samples: 60, test_samples: 40, covariate: { invert: true, rotate_deg: 20, noise: 0.1, blur: 1, brightness: 0.2 } }
  ]
}

describe('scenario files', () => {
  it('accepts the documented shape', () => {
    const s = parseScenario(base)
    expect(s.boards).toHaveLength(3)
    expect(s.seed).toBe(7)
  })

  it.each([
    [{ ...base, presumed: { fraction: 1.5 } }, /presumed.fraction/],
    [{ ...base, boards: [{ ...base.boards[0], prior: { classes: [0, 3], weights: [1] } }] }, /boards.0.prior.weights: weights must have one entry per class/],
    [{ ...base, boards: [base.boards[0], base.boards[0]] }, /board ids must be unique/],
    [{ ...base, boards: [{ ...base.boards[1], preference: { relabel: { five: 7 } } }] }, /relabel keys are class ids/],
    [{ ...base, boards: [{ ...base.boards[2], covariate: { blur: 9 } }] }, /boards.0.covariate.blur/],
    [{ ...base, boards: [{ ...base.boards[0], samples: -3 }] }, /boards.0.samples/],
    [{ ...base, extra: 1 }, /extra|Unrecognized/],
    [{ ...base, boards: [] }, /at least one board/]
  ])('refuses an invalid scenario naming the field (%#)', (json, why) => {
    expect(() => parseScenario(json)).toThrow(why)
  })
})

describe('partition', () => {
  const ds = dataset(2000, 200)
  const p = partition(parseScenario(base), ds)
  const ids = (x: Float32Array, n: number) => Array.from({ length: n }, (_, i) => Math.round(x[i * 16] * 2200))

  it('gives the manufacturer the presumed fraction and the test split as QA suite', () => {
    expect(p.presumed.n).toBe(1000)
    expect(p.validation.n).toBe(200)
  })

  it('never shares a sample between boards or with the presumed data', () => {
    const presumed = new Set(ids(p.presumed.x, p.presumed.n))
    // b1 and b2 are untransformed, so their pixel values identify the source sample
    const b1 = [...ids(p.boards[0].train.x, 60), ...ids(p.boards[0].test.x, 40)]
    const b2 = [...ids(p.boards[1].train.x, 60), ...ids(p.boards[1].test.x, 40)]
    const all = [...b1, ...b2]
    expect(new Set(all).size).toBe(all.length)
    for (const i of all) expect(presumed.has(i)).toBe(false)
  })

  it('draws a prior board only from its classes, in roughly its weights', () => {
    const b1 = p.boards[0]
    const counts = b1.classCounts
    expect(counts.reduce((a, b) => a + b)).toBe(60)
    for (let c = 0; c < 10; c++) if (![0, 3, 7].includes(c)) expect(counts[c]).toBe(0)
    expect(counts[0]).toBeGreaterThan(counts[7])
  })

  it('relabels a preference board, train and test alike', () => {
    const b2 = p.boards[1]
    expect(b2.classCounts[5]).toBe(0)
    expect(Array.from(b2.test.y)).not.toContain(5)
  })

  it('transforms a covariate board', () => {
    const b3 = p.boards[2]
    // inverted + brightened: most pixels are high, clamped to [0, 1]
    const mean = b3.train.x.reduce((a, b) => a + b, 0) / b3.train.x.length
    expect(mean).toBeGreaterThan(0.5)
    expect(Math.min(...b3.train.x)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...b3.train.x)).toBeLessThanOrEqual(1)
  })

  it('is deterministic for a seed and differs for another', () => {
    const again = partition(parseScenario(base), ds)
    expect(Array.from(again.boards[0].train.y)).toEqual(Array.from(p.boards[0].train.y))
    const other = partition(parseScenario({ ...base, seed: 8 }), ds)
    expect(Array.from(other.boards[1].train.x.subarray(0, 64))).not.toEqual(Array.from(p.boards[1].train.x.subarray(0, 64)))
  })

  it('refuses what the dataset cannot give, naming the field', () => {
    expect(() => partition(parseScenario({ ...base, boards: [{ id: 'x', samples: 5000, test_samples: 10 }] }), ds)).toThrow(/boards.0 \(x\).samples: asks for 5010 samples/)
    expect(() => partition(parseScenario({ ...base, boards: [{ id: 'x', samples: 5, test_samples: 5, prior: { classes: [12] } }] }), ds)).toThrow(/prior.classes.0: class 12 is out of range/)
    expect(() => partition(parseScenario({ ...base, boards: [{ id: 'x', samples: 5, test_samples: 5, covariate: { rotate_deg: 10 } }] }), dataset(100, 10, 10, [16]))).toThrow(/needs image data/)
  })

  it('refuses a prior whose stated mix the data cannot give, instead of drawing another mix', () => {
    // 90% of (class 0's whole pool + 10) cannot be class 0: the mix is refused with the numbers.
    const pool0 = ds.train.y.filter((c) => c === 0).length
    expect(() => partition(parseScenario({ ...base, boards: [{ id: 'x', samples: pool0, test_samples: 10, prior: { classes: [0, 1], weights: [0.9, 0.1] } }] }), ds)).toThrow(
      /boards\.0 \(x\)\.samples: its prior asks for about \d+ samples of class 0 \(weight 0\.9 of \d+\), but only \d+ are left/
    )
  })
})

describe('covariate transforms', () => {
  it('rotates by 90 degrees exactly on a square image', () => {
    const x = new Float32Array([1, 0, 0, 0, 0, 0, 0, 0, 0]) // top-left pixel
    const r = applyCovariate(x, [3, 3, 1], { rotate_deg: 90 }, new Rng(1))
    // counter-clockwise rotation moves the top-left corner to the bottom-left
    expect(Array.from(r).map((v) => Math.round(v))).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0])
  })

  it('blur keeps the total mass away from edges and invert flips', () => {
    const x = new Float32Array(81)
    x[40] = 1
    const b = applyCovariate(x, [9, 9, 1], { blur: 1 }, new Rng(1))
    expect(b.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 4)
    expect(b[40]).toBeLessThan(0.5)
    expect(applyCovariate(new Float32Array([0.25]), [1, 1, 1], { invert: true }, new Rng(1))[0]).toBeCloseTo(0.75)
  })
})
