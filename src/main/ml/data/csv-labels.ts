import { isInteger, type CsvTable } from './csv'
import { integerClassNames } from './decoded'
import { badData } from './errors'

/** Label texts of every file -> class names and int32 labels per file. */
export function labelsToClasses(tables: CsvTable[], classes: number | undefined): { classNames: string[]; y: Int32Array[] } {
  const allInt = tables.every((t) => t.labels.every(isInteger))
  if (allInt) {
    let max = -1
    for (const t of tables) for (const l of t.labels) max = Math.max(max, Number(l))
    const n = classes ?? max + 1
    const y = tables.map((t) =>
      Int32Array.from(t.labels, (l, i) => {
        const v = Number(l)
        if (v < 0) throw badData(t.path, `line ${t.lines[i]}`, `label ${v} is negative`, 'class labels run from 0')
        if (v >= n) throw badData(t.path, `line ${t.lines[i]}`, `label ${v} is outside 0..${n - 1} (--classes ${n})`, 'fix the label or raise --classes')
        if (v >= 65536) throw badData(t.path, `line ${t.lines[i]}`, `label ${v} would make more than 65536 classes`, 'is this the label column? choose it with --label')
        return v
      })
    )
    return { classNames: integerClassNames(n), y }
  }
  const names = [...new Set(tables.flatMap((t) => t.labels))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (classes !== undefined && classes !== names.length) {
    const t = tables[0]
    throw badData(t.path, undefined, `the labels name ${names.length} classes (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}) but --classes is ${classes}`, 'text labels define the classes: drop --classes or fix the labels')
  }
  const index = new Map(names.map((n, i) => [n, i]))
  return { classNames: names, y: tables.map((t) => Int32Array.from(t.labels, (l) => index.get(l) as number)) }
}
