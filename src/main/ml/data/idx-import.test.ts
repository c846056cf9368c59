import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openRegistry } from '../../store/registry'
import { failure, tempDir } from '../../store/testing/fixtures'
import { importDataset } from './import'
import { idxBytes, writeIdxFile } from './testing'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))
const fresh = async () => {
  const t = tempDir('diredi-idx-')
  cleanups.push(t.remove)
  return { dir: t.dir, reg: await openRegistry(join(t.dir, 'data'), { builtins: {} }) }
}
const base = { paths: [] as string[], format: 'idx' as const }

/** n 3x2 8-bit images whose pixels encode their index, and labels i % 4. */
function pair(dir: string, prefix: string, n: number, gz = false) {
  const imgs = join(dir, `${prefix}-images-idx3-ubyte${gz ? '.gz' : ''}`)
  const lbls = join(dir, `${prefix}-labels-idx1-ubyte${gz ? '.gz' : ''}`)
  writeIdxFile(imgs, 0x08, [n, 3, 2], Array.from({ length: n * 6 }, (_, i) => (Math.floor(i / 6) * 7 + (i % 6)) % 256), gz)
  writeIdxFile(lbls, 0x08, [n], Array.from({ length: n }, (_, i) => i % 4), gz)
  return [imgs, lbls]
}

describe('IDX import', () => {
  it('imports train and test pairs, gzipped or not, as 8-bit [h, w, 1] samples', async () => {
    const { dir, reg } = await fresh()
    const files = [...pair(dir, 'train', 12, true), ...pair(dir, 't10k', 5)]
    const r = await importDataset(reg, { ...base, paths: files.reverse(), name: 'tiny' })
    expect(r.created).toBe(true)
    expect(r.bytesRead).toBe(16 + 72 + 8 + 12 + 16 + 30 + 8 + 5)
    expect(r.record).toMatchObject({ name: 'tiny', format: 'idx', inputShape: [3, 2, 1], classes: 4, classNames: ['0', '1', '2', '3'], splits: { train: 12, test: 5 }, classCounts: [3, 3, 3, 3] })
    const d = await reg.datasets.load('tiny')
    expect(Array.from(d.train.x.subarray(6, 12), (v) => Math.round(v * 255))).toEqual([7, 8, 9, 10, 11, 12])
    expect(Array.from(d.test.y)).toEqual([0, 1, 2, 3, 0])
  })

  it('splits one pair by --test-fraction, the same way for the same seed', async () => {
    const { dir, reg } = await fresh()
    const files = pair(dir, 'all', 40)
    const a = await importDataset(reg, { ...base, paths: files, name: 'a', testFraction: 0.25, seed: 5 })
    expect(a.record.splits).toEqual({ train: 30, test: 10 })
    expect((await importDataset(reg, { ...base, paths: files, name: 'a2', testFraction: 0.25, seed: 5 })).record.id).toBe(a.record.id)
    const b = await importDataset(reg, { ...base, paths: files, name: 'b', testFraction: 0.25, seed: 6 })
    expect(b.record.hash).not.toBe(a.record.hash)
    expect((await importDataset(reg, { ...base, paths: files, name: 'c' })).record.splits).toEqual({ train: 32, test: 8 }) // default 0.2
  })

  it('keeps non-byte images as float32 values and reads (n, d) as [d] samples', async () => {
    const { dir, reg } = await fresh()
    writeIdxFile(join(dir, 'x'), 0x0d, [3, 4], [0.5, -1, 2.25, 3, 1e-3, 0, 0, 7, 1, 1, 1, 1])
    writeIdxFile(join(dir, 'y'), 0x0c, [3], [2, 0, 1])
    const r = await importDataset(reg, { ...base, paths: [join(dir, 'x'), join(dir, 'y')], name: 'f', testFraction: 0 })
    expect(r.record).toMatchObject({ inputShape: [4], classes: 3, splits: { train: 3, test: 0 } })
    const d = await reg.datasets.load('f')
    expect(Array.from(d.train.x.subarray(0, 5))).toEqual([0.5, -1, 2.25, 3, Math.fround(1e-3)])
  })

  it('round-trips the built-in digits through exported IDX files to the same hash', async () => {
    const t = tempDir('diredi-idx-')
    cleanups.push(t.remove)
    const withBuiltin = await openRegistry(join(t.dir, 'a'))
    const mnist = await withBuiltin.datasets.get('mnist')
    const { exportDataset } = await import('./import')
    for (const gzip of [false, true]) {
      const out = join(t.dir, gzip ? 'gz' : 'raw')
      const ex = await exportDataset(withBuiltin, { ref: 'mnist', format: 'idx', out, gzip })
      expect(ex.files.map((f) => f.path.slice(out.length + 1))).toEqual(
        ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((f) => (gzip ? `${f}.gz` : f))
      )
      if (!gzip) expect(readFileSync(ex.files[0].path).subarray(0, 16)).toEqual(Buffer.from([0, 0, 8, 3, 0, 0, 0x1f, 0x40, 0, 0, 0, 28, 0, 0, 0, 28]))
      const clean = await openRegistry(join(t.dir, `b-${gzip}`), { builtins: {} })
      const r = await importDataset(clean, { ...base, paths: ex.files.map((f) => f.path), name: 'digits' })
      expect(r.record.hash).toBe(mnist.hash)
      expect(r.record).toMatchObject({ name: 'digits', format: 'idx', splits: { train: 8000, test: 2000 } })
    }
  })
})

describe('IDX import refuses bad files, naming file, position and problem, and stores nothing', () => {
  const bad = async (setup: (dir: string) => string[], opts: Record<string, unknown> = {}) => {
    const { dir, reg } = await fresh()
    const msg = await failure(importDataset(reg, { ...base, paths: setup(dir), name: 'x', ...opts }))
    expect(readdirSync(join(dir, 'data', 'registry', 'datasets'))).toEqual([])
    return msg
  }
  const truncate = (p: string, by: number) => writeFileSync(p, readFileSync(p).subarray(0, readFileSync(p).length - by))

  it('a truncated data section', async () => {
    const msg = await bad((d) => {
      const f = pair(d, 'all', 10)
      truncate(f[0], 5)
      return f
    })
    expect(msg).toMatch(/^DATASET_INVALID: \/.*all-images-idx3-ubyte \(byte 71\): the file is truncated: the header declares 10 x 3 x 2 ubyte values \(60 data bytes, 76 in all\), but the data ends after 55; download or copy the file again$/)
  })

  it('a truncated header, and a cut gzip stream', async () => {
    expect(
      await bad((d) => {
        const f = pair(d, 'all', 10)
        writeFileSync(f[1], readFileSync(f[1]).subarray(0, 6))
        return f
      })
    ).toMatch(/all-labels-idx1-ubyte \(byte 6\): the file ends inside the header, which is 8 bytes for 1 dimensions/)
    expect(
      await bad((d) => {
        const f = pair(d, 'all', 400, true)
        truncate(f[0], 100)
        return f
      })
    ).toMatch(/^DATASET_INVALID: .*all-images-idx3-ubyte\.gz \(byte \d+ of the decompressed data\): the gzip data is damaged or cut short \(unexpected end of file\)/)
  })

  it('a wrong magic number, an unknown type code, too many dimensions', async () => {
    expect(
      await bad((d) => {
        const f = pair(d, 'all', 2)
        writeFileSync(f[0], Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))
        return f
      })
    ).toMatch(/all-images-idx3-ubyte \(byte 0\): wrong magic number 89 50 4e 47: an IDX file starts with 00 00, a type code and a dimension count; give an IDX file such as/)
    expect(await bad((d) => (writeFileSync(join(d, 'a'), idxBytes([0, 0, 0x0a, 1], [1], [0])), [join(d, 'a'), join(d, 'a')]))).toMatch(/unknown IDX type code 0x0a at byte 2 \(known: 0x08 ubyte, 0x09 sbyte/)
    expect(await bad((d) => (writeFileSync(join(d, 'a'), idxBytes([0, 0, 8, 5], [1, 1, 1, 1, 1], [0])), [join(d, 'a'), join(d, 'a')]))).toMatch(/5 dimensions declared at byte 3; readers take 1 \(labels\) to 4/)
  })

  it('bytes after the declared data', async () => {
    expect(
      await bad((d) => {
        const f = pair(d, 'all', 3)
        writeFileSync(f[1], Buffer.concat([readFileSync(f[1]), Buffer.from([1, 2])]))
        return f
      })
    ).toMatch(/all-labels-idx1-ubyte \(byte 11\): 2 bytes follow the 3 ubyte values the header declares/)
  })

  it('a count mismatch between images and labels', async () => {
    expect(
      await bad((d) => {
        const [imgs] = pair(d, 'all', 10)
        writeIdxFile(join(d, 'all-labels'), 0x08, [9], new Array<number>(9).fill(1))
        return [imgs, join(d, 'all-labels')]
      })
    ).toMatch(/^DATASET_INVALID: .*all-images-idx3-ubyte: holds 10 images but .*all-labels holds 9 labels; each image needs exactly one label/)
  })

  it('labels out of range of --classes, negative labels, float labels', async () => {
    const withLabel = (d: string, labels: number[], type: 0x08 | 0x0c | 0x0d = 0x08) => {
      const [imgs] = pair(d, 'all', labels.length)
      writeIdxFile(join(d, 'lbl'), type, [labels.length], labels)
      return [imgs, join(d, 'lbl')]
    }
    expect(await bad((d) => withLabel(d, [1, 2, 12, 3]), { classes: 10 })).toMatch(/^DATASET_INVALID: .*lbl \(label 2, byte 10\): label 12 is outside 0\.\.9 \(--classes 10\); fix the labels or raise --classes$/)
    expect(await bad((d) => withLabel(d, [1, -3], 0x0c))).toMatch(/lbl \(label 1, byte 12\): label -3 is negative/)
    expect(await bad((d) => withLabel(d, [1, 0.5], 0x0d))).toMatch(/lbl \(byte 2\): labels are of type float; class labels must be integers/)
  })

  it('an empty dataset', async () => {
    expect(
      await bad((d) => {
        writeIdxFile(join(d, 'i'), 0x08, [0, 28, 28], [])
        writeIdxFile(join(d, 'l'), 0x08, [0], [])
        return [join(d, 'i'), join(d, 'l')]
      })
    ).toMatch(/^DATASET_INVALID: .*\/i: holds no samples for the train split/)
  })

  it('files that do not pair up, and a missing file', async () => {
    expect(await bad((d) => pair(d, 'a', 2).concat(pair(d, 'b', 2)))).toMatch(/^INVALID_INPUT: cannot tell the train pair from the test pair of a-images-idx3-ubyte, a-labels-idx1-ubyte, b-images/)
    expect(await bad((d) => [pair(d, 'a', 2)[1], pair(d, 'b', 2)[1]])).toMatch(/^INVALID_INPUT: the 2 files must be one images file .* and one labels file/)
    expect(await bad((d) => [join(d, 'nope'), join(d, 'nope2')])).toMatch(/^NOT_FOUND: .*\/nope: no such file or folder/)
    expect(await bad((d) => pair(d, 'train', 2).concat(pair(d, 'test', 2)), { testFraction: 0.1 })).toBe('INVALID_INPUT: the 4 IDX files already hold a test split; drop --test-fraction')
  })

  it('train and test samples of different shapes', async () => {
    expect(
      await bad((d) => {
        writeIdxFile(join(d, 'test-images'), 0x08, [1, 2, 2], [1, 2, 3, 4])
        writeIdxFile(join(d, 'test-labels'), 0x08, [1], [0])
        return [...pair(d, 'train', 2), join(d, 'test-images'), join(d, 'test-labels')]
      })
    ).toMatch(/test-images: samples are \[2,2,1\] ubyte, but .*train-images-idx3-ubyte holds \[3,2,1\] ubyte; train and test images must have the same size and type/)
  })

  it('a damaged gzip header', async () => {
    expect(
      await bad((d) => {
        const f = pair(d, 'all', 2)
        writeFileSync(f[0], Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('garbage garbage')]))
        return f
      })
    ).toMatch(/all-images-idx3-ubyte \(byte 0 of the decompressed data\): the gzip data is damaged or cut short/)
  })
})
