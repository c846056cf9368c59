/**
 * The `mnist` package's digits as flat arrays, split deterministically (per digit: the first 800 for
 * training, the next 200 for testing, as mnist.set(8000, 2000) picks them) and interleaved by a seeded
 * shuffle, for tests and benchmarks.
 */
import { createRequire } from 'node:module'
import { mulberry32 } from '../../../shared/random'

interface Digit {
  set(start: number, end: number): Array<{ input: number[]; output: number[] }>
}

export interface Digits {
  /** n * 784 pixels in [0, 1], row-major 28x28. */
  x: Float32Array
  y: Int32Array
  n: number
}

export function mnistDigits(perClassTrain = 800, perClassTest = 200, seed = 1): { train: Digits; test: Digits } {
  const digits = createRequire(import.meta.url)('mnist') as Digit[]
  const pick = (from: number, count: number, s: number): Digits => {
    const rows: Array<{ x: number[]; y: number }> = []
    for (let d = 0; d < 10; d++) for (const r of digits[d].set(from, from + count - 1)) rows.push({ x: r.input, y: d })
    const rnd = mulberry32(s)
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1))
      ;[rows[i], rows[j]] = [rows[j], rows[i]]
    }
    const x = new Float32Array(rows.length * 784)
    rows.forEach((r, i) => x.set(r.x, i * 784))
    return { x, y: Int32Array.from(rows, (r) => r.y), n: rows.length }
  }
  return { train: pick(0, perClassTrain, seed), test: pick(perClassTrain, perClassTest, seed + 1) }
}
