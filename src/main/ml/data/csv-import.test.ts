import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openRegistry } from '../../store/registry'
import { failure, tempDir } from '../../store/testing/fixtures'
import { splitFields } from './csv'
import { importDataset } from './import'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))
const fresh = async () => {
  const t = tempDir('diredi-csv-')
  cleanups.push(t.remove)
  return { dir: t.dir, reg: await openRegistry(join(t.dir, 'data'), { builtins: {} }) }
}
const csv = (dir: string, name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const base = { format: 'csv' as const }

describe('CSV import', () => {
  it('detects a header, takes the label column by name, and names classes from text labels in sorted order', async () => {
    const { dir, reg } = await fresh()
    const f = csv(dir, 'iris.csv', '\ufeffsepal,petal,species\r\n5.1,1.4,setosa\r\n7.0,4.7,versicolor\r\n\r\n6.3,6.0,virginica\r\n4.9,1.4,setosa\r\n')
    const r = await importDataset(reg, { ...base, paths: [f], name: 'iris', labelColumn: 'species', testFraction: 0 })
    expect(r.record).toMatchObject({ format: 'csv', inputShape: [2], classes: 3, classNames: ['setosa', 'versicolor', 'virginica'], splits: { train: 4, test: 0 }, classCounts: [2, 1, 1] })
    const d = await reg.datasets.load('iris')
    expect(Array.from(d.train.x)).toEqual([5.1, 1.4, 7.0, 4.7, 6.3, 6.0, 4.9, 1.4].map(Math.fround))
    expect(Array.from(d.train.y)).toEqual([0, 1, 2, 0])
  })

  it('takes integer labels from the first column by default, with or without a header, and splits by seed', async () => {
    const { dir, reg } = await fresh()
    const rows = Array.from({ length: 50 }, (_, i) => `${i % 3},${i},${i * 0.5}`).join('\n')
    const a = await importDataset(reg, { ...base, paths: [csv(dir, 'a.csv', rows)], name: 'a', testFraction: 0.2, seed: 3 })
    expect(a.record).toMatchObject({ inputShape: [2], classes: 3, classNames: ['0', '1', '2'], splits: { train: 40, test: 10 } })
    // a header whose label cell is text above numeric labels ("label,1,2" style) is still a header
    const b = await importDataset(reg, { ...base, paths: [csv(dir, 'b.csv', `label,1,2\n${rows}`)], name: 'b', testFraction: 0.2, seed: 3 })
    expect(b.record.id).toBe(a.record.id)
    const c = await importDataset(reg, { ...base, paths: [csv(dir, 'c.csv', rows)], name: 'c', classes: 5, testFraction: 0.2, seed: 3 })
    expect(c.record).toMatchObject({ classes: 5, classCounts: expect.arrayContaining([0]) })
  })

  it('takes a train and a test file, other delimiters, label by index and quoted fields', async () => {
    const { dir, reg } = await fresh()
    const tr = csv(dir, 'train.csv', 'f1;f2;name\n1;2;"a;b"\n3;4;"say ""hi"""\n')
    const te = csv(dir, 'test.csv', 'f1;f2;name\n5;6;"a;b"\n')
    const r = await importDataset(reg, { ...base, paths: [tr, te], name: 'q', delimiter: ';', labelColumn: 2 })
    expect(r.record).toMatchObject({ classNames: ['a;b', 'say "hi"'], splits: { train: 2, test: 1 } })
    expect(Array.from((await reg.datasets.load('q')).test.x)).toEqual([5, 6])
  })

  it('splits quoted fields as RFC 4180 does', () => {
    expect(splitFields(' 1 , "x, y" ,"", 2', ',')).toEqual(['1', 'x, y', '', '2'])
    expect(splitFields('a\t"b\tc"', '\t')).toEqual(['a', 'b\tc'])
    expect(splitFields('1,"open', ',')).toBe(null)
  })
})

describe('CSV import refuses bad files, naming file, line and problem, and stores nothing', () => {
  const bad = async (text: string | string[], opts: Record<string, unknown> = {}) => {
    const { dir, reg } = await fresh()
    const texts = Array.isArray(text) ? text : [text]
    const paths = texts.map((t, i) => csv(dir, `f${i}.csv`, t))
    const msg = await failure(importDataset(reg, { ...base, paths, name: 'x', ...opts }))
    expect(readdirSync(join(dir, 'data', 'registry', 'datasets'))).toEqual([])
    return msg
  }

  it('a ragged row', async () => {
    expect(await bad('y,a,b\n1,2,3\n0,1,2\n1,2\n')).toMatch(/^DATASET_INVALID: \/.*f0\.csv \(line 4\): expected 3 fields, as in the first line, but found 2; every row needs the same number of fields/)
  })

  it('a non-numeric value and an empty field', async () => {
    expect(await bad('y,a,b\n1,2,3\n0,1,x7\n')).toMatch(/f0\.csv \(line 3, column "b" \(3\)\): "x7" is not a number; features must be decimal numbers/)
    expect(await bad('1,2,3\n0,,2\n')).toMatch(/f0\.csv \(line 2, column 2\): the field is empty/)
    expect(await bad('y,a\n1,0x10\n')).toMatch(/"0x10" is not a number/)
    expect(await bad('y,a\n,1\n')).toMatch(/f0\.csv \(line 2, column "y" \(1\)\): the label is empty/)
  })

  it('labels out of range of --classes, negative labels, and text labels that disagree with --classes', async () => {
    expect(await bad('1,0.5\n3,0.5\n12,0.1\n', { classes: 10 })).toMatch(/^DATASET_INVALID: .*f0\.csv \(line 3\): label 12 is outside 0\.\.9 \(--classes 10\); fix the label or raise --classes$/)
    expect(await bad('1,0.5\n-1,0.5\n')).toMatch(/f0\.csv \(line 2\): label -1 is negative/)
    expect(await bad('cat,1\ndog,2\nemu,3\n', { classes: 2 })).toMatch(/f0\.csv: the labels name 3 classes \(cat, dog, emu\) but --classes is 2/)
  })

  it('an empty file, a header without rows, one column, an unclosed quote', async () => {
    expect(await bad('')).toMatch(/f0\.csv: holds no data rows; give a file with at least one labelled row/)
    expect(await bad('y,a,b\n')).toMatch(/f0\.csv: holds no data rows/)
    expect(await bad('1\n2\n')).toMatch(/f0\.csv \(line 1\): found 1 column with the delimiter ","; .* check --delimiter/)
    expect(await bad('y,a\n"1,2\n')).toMatch(/f0\.csv \(line 2\): a quoted field is not closed/)
  })

  it('unknown label columns and files whose columns differ', async () => {
    expect(await bad('y,a\n1,2\n', { labelColumn: 'z' })).toMatch(/^INVALID_INPUT: --label "z": .*f0\.csv has no such column; its header names y, a/)
    expect(await bad('1,2\n', { labelColumn: 4 })).toMatch(/^INVALID_INPUT: --label 4: .*has 2 columns/)
    expect(await bad(['y,a,b\n1,2,3\n', 'y,a,c\n1,2,3\n'])).toMatch(/f1\.csv \(line 1\): its columns \(y,a,c\) differ from .*f0\.csv \(y,a,b\); train and test files need the same columns/)
    expect(await bad(['1,2\n', '1,2\n'], { testFraction: 0.5 })).toBe('INVALID_INPUT: the second CSV file is the test split already; drop --test-fraction')
    expect(await bad('1,2\n', { color: 'rgb' })).toBe('INVALID_INPUT: --color does not apply to --format csv (only images)')
  })
})
