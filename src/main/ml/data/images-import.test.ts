import { afterEach, describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openRegistry } from '../../store/registry'
import { failure, tempDir } from '../../store/testing/fixtures'
import { importDataset } from './import'
import { writeJpeg, writePng } from './testing'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))
const fresh = async () => {
  const t = tempDir('diredi-img-')
  cleanups.push(t.remove)
  return { dir: t.dir, reg: await openRegistry(join(t.dir, 'data'), { builtins: {} }) }
}
const base = { format: 'images' as const }
const gray = (v: number) => (): [number, number, number] => [v, v, v]

describe('image folder import', () => {
  it('reads root/<class>/*.png as gray [h, w, 1], classes in sorted order, split by seed', async () => {
    const { dir, reg } = await fresh()
    const root = join(dir, 'pets')
    for (let i = 0; i < 5; i++) writePng(join(root, 'dog', `${i}.png`), 4, 3, gray(100 + i))
    for (let i = 0; i < 5; i++) writePng(join(root, 'cat', `${i}.PNG`), 4, 3, (x, y) => [x * 10 + y, x * 10 + y, x * 10 + y])
    writeFileSync(join(root, 'cat', 'notes.txt'), 'not an image')
    writeFileSync(join(root, 'cat', '.DS_Store'), 'junk')
    const r = await importDataset(reg, { ...base, paths: [root], name: 'pets', testFraction: 0.2, seed: 2 })
    expect(r.record).toMatchObject({ format: 'images', inputShape: [3, 4, 1], classes: 2, classNames: ['cat', 'dog'], splits: { train: 8, test: 2 } })
    const d = await reg.datasets.load('pets')
    const all = [...d.train.y, ...d.test.y]
    expect(all.sort()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    const catIdx = Array.from(d.train.y).indexOf(0)
    // row-major HWC: pixel (x=1, y=2) of a cat is 12
    expect(Math.round(d.train.x[catIdx * 12 + 2 * 4 + 1] * 255)).toBe(12)
  })

  it('uses train/ and test/ folders, keeps RGB when any image is colored, and converts on request', async () => {
    const { dir, reg } = await fresh()
    const root = join(dir, 'signs')
    writePng(join(root, 'train', 'red', 'a.png'), 2, 2, () => [200, 10, 10])
    writePng(join(root, 'train', 'red', 'b.png'), 2, 2, () => [190, 0, 20])
    writePng(join(root, 'train', 'gray', 'a.png'), 2, 2, gray(50))
    writePng(join(root, 'test', 'red', 'c.png'), 2, 2, () => [180, 5, 5])
    writePng(join(root, 'test', 'blue', 'c.png'), 2, 2, () => [0, 0, 255])
    const r = await importDataset(reg, { ...base, paths: [root], name: 'signs' })
    expect(r.record).toMatchObject({ inputShape: [2, 2, 3], classNames: ['blue', 'gray', 'red'], splits: { train: 3, test: 2 }, classCounts: [0, 1, 2] })
    const d = await reg.datasets.load('signs')
    expect(Array.from(d.test.x.subarray(0, 3), (v) => Math.round(v * 255))).toEqual([0, 0, 255]) // test/blue first
    const g = await importDataset(reg, { ...base, paths: [root], name: 'signs-gray', color: 'gray' })
    expect(g.record.inputShape).toEqual([2, 2, 1])
    const dg = await reg.datasets.load('signs-gray')
    expect(Math.round(dg.test.x[0] * 255)).toBe(Math.floor((114 * 255 + 500) / 1000))
  })

  it('decodes JPEG, and keeps gray PNGs as 3 channels with --color rgb', async () => {
    const { dir, reg } = await fresh()
    const root = join(dir, 'j')
    writeJpeg(join(root, 'a', '1.jpg'), 8, 8, gray(128))
    writeJpeg(join(root, 'b', '1.jpeg'), 8, 8, gray(30))
    const r = await importDataset(reg, { ...base, paths: [root], name: 'j', testFraction: 0, color: 'rgb' })
    expect(r.record.inputShape).toEqual([8, 8, 3])
    const d = await reg.datasets.load('j')
    expect(Math.abs(d.train.x[0] * 255 - 128)).toBeLessThan(4)
  })
})

describe('image folder import refuses bad input, naming the file, and stores nothing', () => {
  const bad = async (setup: (root: string) => void, opts: Record<string, unknown> = {}) => {
    const { dir, reg } = await fresh()
    const root = join(dir, 'root')
    mkdirSync(root)
    setup(root)
    const msg = await failure(importDataset(reg, { ...base, paths: [root], name: 'x', ...opts }))
    expect(readdirSync(join(dir, 'data', 'registry', 'datasets'))).toEqual([])
    return msg
  }

  it('an image of another size', async () => {
    expect(
      await bad((root) => {
        writePng(join(root, 'a', '1.png'), 4, 4, gray(1))
        writePng(join(root, 'b', '2.png'), 4, 4, gray(1))
        writePng(join(root, 'b', '3.png'), 5, 4, gray(1))
      })
    ).toMatch(/^DATASET_INVALID: \/.*root\/b\/3\.png: is 5x4 pixels but the first image \(.*root\/a\/1\.png\) is 4x4; all images must have the same size: resize them or remove this one$/)
  })

  it('an undecodable image, a file that is no image at all', async () => {
    expect(
      await bad((root) => {
        writePng(join(root, 'a', '1.png'), 4, 4, gray(1))
        const ok = readFileSync(join(root, 'a', '1.png'))
        writeFileSync(join(root, 'a', '2.png'), ok.subarray(0, ok.length - 30))
      })
    ).toMatch(/^DATASET_INVALID: .*root\/a\/2\.png: cannot be decoded as PNG \(.+\); the file is damaged: replace it or remove it$/)
    expect(
      await bad((root) => {
        mkdirSync(join(root, 'a'))
        writeFileSync(join(root, 'a', '1.jpg'), 'hello')
      })
    ).toMatch(/root\/a\/1\.jpg \(byte 0\): is neither a PNG nor a JPEG image/)
  })

  it('no class folders, no images, class count disagreeing with --classes', async () => {
    expect(await bad(() => undefined)).toMatch(/root: holds no class folders; put the images of each class in a folder named after the class/)
    expect(await bad((root) => mkdirSync(join(root, 'a')))).toMatch(/root: holds no \.png or \.jpg images in its class folders/)
    expect(await bad((root) => writePng(join(root, 'a', '1.png'), 2, 2, gray(1)), { classes: 3 })).toMatch(/root: holds 1 class folders \(a\) but --classes is 3/)
    expect(await bad((root) => writePng(join(root, 'a', '1.png'), 2, 2, gray(1)), { labelColumn: 1 })).toBe('INVALID_INPUT: --label does not apply to --format images (only csv)')
  })
})
