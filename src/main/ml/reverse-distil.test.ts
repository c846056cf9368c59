import { describe, expect, it } from 'vitest'
import { classCounts, classWeights, logitDifference, omegaOf, rowNorms, sampleWeights, subtract, sumCounts, teacherTargets } from './reverse-distil'

const f32 = (xs: number[]) => Float32Array.from(xs)
const close = (got: ArrayLike<number>, want: number[]) => {
  expect(got.length).toBe(want.length)
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 6))
}

/** The formulas of docs/method.md §5 and §6 on examples small enough to compute by hand. */
describe('reverse distillation arithmetic', () => {
  it('omega_b = n_b / sum n', () => {
    close(omegaOf([100, 300]), [0.25, 0.75])
    close(omegaOf([7]), [1])
  })

  it('d(x) = sum_b omega_b (z_Sb(x) - z_Sr(x)), and the teacher targets z_T + d', () => {
    // Two transfer inputs, two classes. Board 1 moves [+1, 0 | 0, +2], board 2 moves [0, +2 | 0, 0].
    const zSr = f32([1, 2, 3, 4])
    const d = logitDifference([f32([2, 2, 3, 6]), f32([1, 4, 3, 4])], zSr, [0.25, 0.75])
    close(d, [0.25, 1.5, 0, 0.5])
    close(teacherTargets(f32([10, 10, 10, 10]), d), [10.25, 11.5, 10, 10.5])
    close(logitDifference([], zSr, []), [0, 0, 0, 0])
    close(subtract(f32([5, 1]), f32([2, 3])), [3, -2])
  })

  it('w(x) = 1 + beta ||d(x)|| / mean ||d||, and 1 everywhere when d is zero', () => {
    const d = f32([3, 4, 0, 0, 6, 8]) // row norms 5, 0, 10; mean 5
    close(rowNorms(d, 3, 2), [5, 0, 10])
    close(sampleWeights(d, 3, 2, 1), [2, 1, 3])
    close(sampleWeights(d, 3, 2, 0.5), [1.5, 1, 2])
    close(sampleWeights(new Float32Array(6), 3, 2, 1), [1, 1, 1])
  })

  it("class weights move toward the users' mix by gamma", () => {
    expect(classCounts([0, 1, 1, 2, 1], 3)).toEqual([1, 3, 1])
    expect(sumCounts([[1, 2, 0], [3, 0, 1]], 3)).toEqual([4, 2, 1])
    // Presumed shares 0.5, 0.3, 0.2; users' 0, 0.6, 0.4: (1 - 0.8) + 0.8 * users / presumed.
    close(classWeights([50, 30, 20], [0, 60, 40], 0.8), [0.2, 1.8, 1.8])
    close(classWeights([50, 30, 20], [0, 60, 40], 0), [1, 1, 1])
    // A class the transfer inputs do not hold keeps weight 1; no user counts leave 1 - gamma.
    close(classWeights([50, 0, 50], [10, 10, 0], 0.5), [1, 1, 0.5])
    close(classWeights([50, 50], [0, 0], 0.8), [0.2, 0.2])
  })
})
