import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../backend'
import { gatherRows, gatherRowsShifted, shiftOf } from './batch'

beforeAll(() => initBackend())

describe('shift augmentation', () => {
  it('moves each image by its (dy, dx), zeros filling in, the same for the same (seed, epoch, row)', () => {
    const spec = { inputShape: [5, 4, 2], classes: 2, layers: [] }
    const f = 5 * 4 * 2
    const x = Float32Array.from({ length: 6 * f }, (_, i) => i + 1)
    const rows = [0, 3, 5]
    const got = gatherRowsShifted(x, rows, spec, 7, 2).dataSync()
    const seen = new Set<string>()
    rows.forEach((row, i) => {
      const [dy, dx] = shiftOf(7, 2, row)
      seen.add(`${dy},${dx}`)
      expect(Math.abs(dy)).toBeLessThanOrEqual(2)
      expect(Math.abs(dx)).toBeLessThanOrEqual(2)
      for (let y = 0; y < 5; y++)
        for (let xx = 0; xx < 4; xx++)
          for (let c = 0; c < 2; c++) {
            const sy = y - dy
            const sx = xx - dx
            const want = sy >= 0 && sy < 5 && sx >= 0 && sx < 4 ? x[row * f + (sy * 4 + sx) * 2 + c] : 0
            expect(got[i * f + (y * 4 + xx) * 2 + c]).toBe(want)
          }
    })
    expect(gatherRowsShifted(x, rows, spec, 7, 2).dataSync()).toEqual(got)
    expect(gatherRowsShifted(x, rows, spec, 7, 3).dataSync()).not.toEqual(got)
    // Over many samples every shift occurs, including none.
    const all = new Set(Array.from({ length: 400 }, (_, r) => shiftOf(1, 0, r).join()))
    expect(all.size).toBe(25)
    expect(gatherRows(x, [1], spec).dataSync()).toEqual(x.subarray(f, 2 * f))
  })
})
