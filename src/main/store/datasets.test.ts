import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../core/errors'
import { openRegistry } from './registry'
import { synthDataset, tempDir, tinyModel } from './testing/fixtures'

const ls = (d: string) => readdirSync(d).sort()
const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))
const fresh = async () => {
  const t = tempDir()
  cleanups.push(t.remove)
  return { dir: t.dir, reg: await openRegistry(t.dir, { builtins: {} }) }
}
const code = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e instanceof AppError ? `${e.code}: ${e.message}` : `not an AppError: ${String(e)}`
  }
  return 'resolved'
}

describe('registry datasets', () => {
  it('stores 8-bit data as uint8 and loads it back exactly, by id and by name', async () => {
    const { dir, reg } = await fresh()
    const input = synthDataset('digits', { n: 30, m: 10, shape: [4, 4, 1], classes: 3 })
    const r = await reg.datasets.put(input)
    expect(r.id).toMatch(/^ds-[0-9a-f]{12}$/)
    expect(r.hash.startsWith(r.id.slice(3))).toBe(true)
    expect(r).toMatchObject({ name: 'digits', classes: 3, inputShape: [4, 4, 1], splits: { train: 30, test: 10 }, classCounts: [10, 10, 10] })
    const entry = join(dir, 'registry', 'datasets', r.id)
    expect(readdirSync(entry).sort()).toEqual(['meta.json', 'test-x.bin', 'test-y.bin', 'train-x.bin', 'train-y.bin'])
    expect(statSync(join(entry, 'train-x.bin')).size).toBe(30 * 16) // one byte per value
    expect(statSync(join(entry, 'train-y.bin')).size).toBe(30 * 4) // int32 labels
    const loaded = await reg.datasets.load('digits')
    expect(loaded.record).toEqual(r)
    expect(loaded.train.x).toEqual(input.train.x)
    expect(loaded.test.y).toEqual(input.test.y)
    expect(await reg.datasets.get(r.id)).toEqual(r)
    expect(await reg.datasets.verify(r.id)).toBe(true)
  })

  it('stores other floats as float32, and the hash does not depend on how 8-bit data was given', async () => {
    const { dir, reg } = await fresh()
    const f = await reg.datasets.put(synthDataset('floats', { eightBit: false, shape: [5] }))
    expect(statSync(join(dir, 'registry', 'datasets', f.id, 'train-x.bin')).size).toBe(20 * 5 * 4)
    expect((await reg.datasets.load(f.id)).train.x).toEqual(synthDataset('floats', { eightBit: false, shape: [5] }).train.x)

    const asFloat = synthDataset('a')
    const asBytes = { ...asFloat, name: 'b', train: { ...asFloat.train, x: Uint8Array.from(asFloat.train.x, (v) => Math.round(v * 255)) } }
    const { reg: other } = await fresh()
    expect((await other.datasets.put(asBytes)).hash).toBe((await reg.datasets.put(asFloat)).hash)
  })

  it('returns the same record for the same content, and refuses a taken name for other content', async () => {
    const { dir, reg } = await fresh()
    const a = await reg.datasets.put(synthDataset('mine'))
    expect(await reg.datasets.put(synthDataset('mine'))).toEqual(a)
    // content addressed: one entry; the second name becomes an alias that look-ups accept
    const again = await reg.datasets.put(synthDataset('another-name'))
    expect(again).toEqual({ ...a, aliases: ['another-name'] })
    expect(await reg.datasets.get('another-name')).toEqual(again)
    const msg = await code(reg.datasets.put(synthDataset('mine', { seed: 7 })))
    expect(msg).toMatch(/^ALREADY_EXISTS: a dataset named "mine" already exists \(ds-[0-9a-f]{12}\) with other content; choose another name/)
    expect(await code(reg.datasets.put(synthDataset('another-name', { seed: 7 })))).toMatch(/^ALREADY_EXISTS: a dataset named "another-name" already exists/)
    const b = await reg.datasets.put(synthDataset('b', { seed: 7 }))
    expect(await code(reg.datasets.put(synthDataset('b')))).toMatch(/^ALREADY_EXISTS: this content is already in the registry as mine \(ds-\w+\), and the name "b" belongs to another dataset \(ds-\w+\)/)
    expect(ls(join(dir, 'registry', 'datasets'))).toEqual([a.id, b.id].sort())
    expect((await reg.datasets.list()).map((d) => d.name)).toEqual(['mine', 'b'])
  })

  it('refuses bad content with DATASET_INVALID and writes nothing', async () => {
    const { dir, reg } = await fresh()
    const d = synthDataset('bad')
    d.train.y[3] = 5
    expect(await code(reg.datasets.put(d))).toMatch(/^DATASET_INVALID: .*train sample 3 has label 5, outside 0\.\.2/)
    const short = synthDataset('bad')
    short.test.x = short.test.x.subarray(1)
    expect(await code(reg.datasets.put(short))).toMatch(/^DATASET_INVALID: .*test x holds 127 values, expected 8 samples x 16 = 128/)
    const empty = synthDataset('bad', { n: 0 })
    expect(await code(reg.datasets.put(empty))).toMatch(/^DATASET_INVALID: .*train split is empty/)
    const nan = synthDataset('bad', { eightBit: false })
    nan.train.x[2] = NaN
    expect(await code(reg.datasets.put(nan))).toMatch(/^DATASET_INVALID: .*NaN at index 2 is not a finite number/)
    expect(await code(reg.datasets.put(synthDataset('ds-0123456789ab')))).toMatch(/^INVALID_INPUT: .*looks like a registry id/)
    expect(await code(reg.datasets.put(synthDataset('a/b')))).toMatch(/^INVALID_INPUT: dataset name "a\/b" is not allowed/)
    expect(readdirSync(join(dir, 'registry', 'datasets'))).toEqual([])
  })

  it('names what was asked when nothing matches', async () => {
    const { reg } = await fresh()
    expect(await code(reg.datasets.get('nope'))).toBe('NOT_FOUND: no dataset with id or name "nope"; list them with `diredi dataset list`')
  })

  it('removes a dataset, but not while a model names it in its lineage unless forced', async () => {
    const { dir, reg } = await fresh()
    const a = await reg.datasets.put(synthDataset('a'))
    const b = await reg.datasets.put(synthDataset('b', { seed: 3 }))
    await reg.models.put('teacher', tinyModel(), { name: 't', lineage: { datasetId: b.id } })
    expect(await reg.datasets.remove('a')).toEqual(a)
    expect(await code(reg.datasets.remove('b'))).toMatch(/^INVALID_INPUT: dataset b \(ds-\w+\) is the dataset of model\(s\) t-\w+; remove it anyway with --force/)
    await reg.datasets.remove('b', { force: true })
    expect(readdirSync(join(dir, 'registry', 'datasets'))).toEqual([])
    expect(await reg.datasets.list()).toEqual([])
  })

  it('detects a stored file damaged from outside', async () => {
    const { dir, reg } = await fresh()
    const r = await reg.datasets.put(synthDataset('a'))
    const f = join(dir, 'registry', 'datasets', r.id, 'train-x.bin')
    const { writeFileSync } = await import('node:fs')
    const bytes = readFileSync(f)
    bytes[0] ^= 1
    writeFileSync(f, bytes)
    expect(await reg.datasets.verify(r.id)).toBe(false)
    writeFileSync(f, bytes.subarray(1))
    expect(await code(reg.datasets.load(r.id))).toMatch(/^DATASET_INVALID: .*train-x\.bin holds 319 bytes, expected 320/)
  })

  it('tells the listener about additions and removals', async () => {
    const t = tempDir()
    cleanups.push(t.remove)
    const seen: string[] = []
    const reg = await openRegistry(t.dir, { builtins: {}, onChange: (c) => seen.push(`${c.change} ${c.kind} ${c.id}`) })
    const r = await reg.datasets.put(synthDataset('a'))
    await reg.datasets.put(synthDataset('a'))
    await reg.datasets.remove(r.id)
    expect(seen).toEqual([`added dataset ${r.id}`, `removed dataset ${r.id}`])
  })
})
