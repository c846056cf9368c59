import type { DatasetRecord, ModelRecord } from '../../../shared/api/datasets'

/** Human text for registry records (the CLI's non-JSON output). */
export const mb = (bytes: number): string => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`)

const classList = (r: DatasetRecord) => (r.classNames.length <= 12 ? r.classNames.join(', ') : `${r.classNames.slice(0, 12).join(', ')}, ...`)

const also = (r: { aliases?: string[] }) => (r.aliases?.length ? `  (also ${r.aliases.join(', ')})` : '')

export function datasetLine(r: DatasetRecord): string {
  return `${r.id}  ${r.name.padEnd(16)} ${r.format.padEnd(8)} [${r.inputShape.join('x')}]  ${r.classes} classes  train ${r.splits.train}  test ${r.splits.test}${also(r)}`
}

export function datasetSummary(r: DatasetRecord): string {
  return [
    `name      ${r.name}  (${r.id}, ${r.format})${also(r)}`,
    `samples   [${r.inputShape.join(', ')}]  train ${r.splits.train}  test ${r.splits.test}`,
    `classes   ${r.classes}: ${classList(r)}`,
    `per class ${r.classCounts.join(' ')} (train)`,
    `hash      ${r.hash}`,
    `source    ${r.source.join(', ')}`
  ].join('\n')
}

export function modelLine(m: ModelRecord): string {
  const metrics = Object.entries(m.metrics)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(', ')
  const from = [m.lineage.teacherId && `from ${m.lineage.teacherId}`, m.lineage.datasetId && `on ${m.lineage.datasetId}`].filter(Boolean).join(' ')
  return `${m.id}  ${m.kind.padEnd(7)} ${m.name.padEnd(20)} ${String(m.params).padStart(9)} params  ${from}${metrics ? `  ${metrics}` : ''}${also(m)}`
}
