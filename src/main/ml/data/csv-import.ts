import { promises as fs } from 'node:fs'
import { AppError } from '../../core/errors'
import { parseNumber, readLines, splitFields, type CsvTable } from './csv'
import { labelsToClasses } from './csv-labels'
import { type Decoded, DEFAULT_SEED, DEFAULT_TEST_FRACTION, type SplitOptions } from './decoded'
import { badData } from './errors'
import { applyMask, testMask } from './split'

export interface CsvOptions extends SplitOptions {
  /** The label column by header name or 0-based index (default 0). */
  labelColumn?: string | number
  /** Whether line 1 is a header; auto: it is when it holds a non-numeric feature, or a non-numeric label above numeric ones. */
  header?: 'auto' | 'yes' | 'no'
  delimiter?: string
}

/**
 * CSV files -> a dataset of [features] float32 samples. One file is split by `testFraction`/`seed`; two
 * files are train, then test. Labels that are all integers are class indices (classes: `classes`, else
 * the largest + 1, named "0".."n-1"); otherwise each distinct text is a class, in sorted order.
 */
export async function readCsvDataset(paths: string[], opts: CsvOptions): Promise<Decoded> {
  if (paths.length !== 1 && paths.length !== 2) throw new AppError('INVALID_INPUT', `CSV import takes 1 file (split by --test-fraction) or 2 (train, then test), got ${paths.length}`)
  if (paths.length === 2 && opts.testFraction !== undefined) throw new AppError('INVALID_INPUT', 'the second CSV file is the test split already; drop --test-fraction')
  const tables: CsvTable[] = []
  for (const p of paths) tables.push(await parseCsv(p, opts))
  const [train, test] = tables
  if (test) {
    const same = test.columns === train.columns && (!train.header || !test.header || train.header.join('\u0000') === test.header.join('\u0000'))
    if (!same) throw badData(test.path, 'line 1', `its columns (${describeColumns(test)}) differ from ${train.path} (${describeColumns(train)})`, 'train and test files need the same columns')
  }
  const { classNames, y } = labelsToClasses(tables, opts.classes)
  let bytesRead = 0
  for (const p of paths) bytesRead += (await fs.stat(p)).size
  const d = train.features
  let splits
  if (test) {
    splits = { train: { x: train.x, y: y[0], n: train.labels.length }, test: { x: test.x, y: y[1], n: test.labels.length } }
  } else {
    splits = applyMask(train.x, y[0], d, testMask(train.labels.length, opts.testFraction ?? DEFAULT_TEST_FRACTION, opts.seed ?? DEFAULT_SEED))
  }
  return { format: 'csv', inputShape: [d], classNames, ...splits, source: paths, bytesRead }
}

const describeColumns = (t: CsvTable) => (t.header ? t.header.join(',') : `${t.columns} unnamed`)

async function parseCsv(path: string, opts: CsvOptions): Promise<CsvTable> {
  const delim = opts.delimiter ?? ','
  const mode = opts.header ?? 'auto'
  if (typeof opts.labelColumn === 'string' && mode === 'no') throw new AppError('INVALID_INPUT', `--label ${opts.labelColumn} names a column, which needs a header line; drop --header no or give the column index`)
  let x = new Float32Array(1 << 16)
  let len = 0
  const labels: string[] = []
  const lines: number[] = []
  let columns = 0
  let labelIdx = -1
  let header: string[] | null = null
  let pending: Array<{ fields: string[]; no: number }> = []
  let decided = false

  const colName = (j: number) => (header ? `column ${JSON.stringify(header[j])} (${j + 1})` : `column ${j + 1}`)
  const resolveLabel = () => {
    const lc = opts.labelColumn ?? 0
    if (typeof lc === 'number') {
      if (lc >= columns) throw new AppError('INVALID_INPUT', `--label ${lc}: ${path} has ${columns} columns (0..${columns - 1})`)
      return lc
    }
    const j = header?.indexOf(lc) ?? -1
    if (j < 0) throw new AppError('INVALID_INPUT', `--label ${JSON.stringify(lc)}: ${path} has no such column; its header names ${header?.join(', ')}`)
    return j
  }
  const row = (fields: string[], no: number) => {
    if (fields.length !== columns) throw badData(path, `line ${no}`, `expected ${columns} fields, as in the first line, but found ${fields.length}`, 'every row needs the same number of fields (check for a missing or extra delimiter)')
    if (len + columns > x.length) {
      const bigger = new Float32Array(x.length * 2)
      bigger.set(x)
      x = bigger
    }
    for (let j = 0; j < columns; j++) {
      if (j === labelIdx) continue
      const v = parseNumber(fields[j])
      if (Number.isNaN(v)) {
        const what = fields[j] === '' ? 'the field is empty' : `${JSON.stringify(fields[j])} is not a number`
        throw badData(path, `line ${no}, ${colName(j)}`, what, 'features must be decimal numbers (with "." as the decimal point)')
      }
      x[len++] = v
    }
    if (fields[labelIdx] === '') throw badData(path, `line ${no}, ${colName(labelIdx)}`, 'the label is empty', 'give every row a label')
    labels.push(fields[labelIdx])
    lines.push(no)
  }
  const decide = () => {
    decided = true
    const [first, second] = pending
    let isHeader = mode === 'yes' || typeof opts.labelColumn === 'string'
    if (mode === 'auto' && !isHeader) {
      const li = resolveLabel()
      const nonNum = (s: string) => Number.isNaN(parseNumber(s))
      isHeader = first.fields.some((f, j) => j !== li && nonNum(f)) || (nonNum(first.fields[li]) && second !== undefined && !nonNum(second.fields[li] ?? ''))
    }
    if (isHeader && mode !== 'no') {
      header = first.fields
      pending = pending.slice(1)
    }
    labelIdx = resolveLabel()
    for (const p of pending) row(p.fields, p.no)
    pending = []
  }

  for await (const { line, no } of readLines(path)) {
    const fields = splitFields(line, delim)
    if (!fields) throw badData(path, `line ${no}`, 'a quoted field is not closed', 'close the quote (a field cannot span lines)')
    if (columns === 0) {
      columns = fields.length
      if (columns < 2) throw badData(path, `line ${no}`, `found ${columns} column with the delimiter ${JSON.stringify(delim)}; a dataset needs a label column and at least one feature column`, 'check --delimiter')
    }
    if (decided) row(fields, no)
    else {
      pending.push({ fields, no })
      if (pending.length === 2) decide()
    }
  }
  if (!decided && pending.length) decide()
  if (labels.length === 0) throw badData(path, undefined, 'holds no data rows', 'give a file with at least one labelled row')
  return { path, header, columns, features: columns - 1, x: x.slice(0, len), labels, lines }
}
