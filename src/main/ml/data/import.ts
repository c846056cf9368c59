import { isAbsolute, resolve } from 'node:path'
import type { DatasetExportResult, DatasetImportOptions, DatasetImportResult } from '../../../shared/api/datasets'
import { AppError } from '../../core/errors'
import type { FileRegistry } from '../../store/registry'
import { readCsvDataset } from './csv-import'
import type { Decoded } from './decoded'
import { exportIdx } from './idx-export'
import { readIdxDataset } from './idx-import'
import { readImageFolders } from './images-import'

/**
 * datasets.import: reads the files completely (checking everything) before anything is written, then
 * stores the result in one atomic registry put, so a bad file leaves nothing behind. Runs directly
 * rather than as a job: 10,000 digits take well under a second, and the image reader yields to the
 * event loop between files.
 */
export async function importDataset(registry: FileRegistry, p: DatasetImportOptions, cwd = process.cwd()): Promise<DatasetImportResult> {
  const t0 = performance.now()
  const paths = p.paths.map((f) => (isAbsolute(f) ? f : resolve(cwd, f)))
  checkOptions(p)
  const before = new Set((await registry.datasets.list()).map((r) => r.id))
  if (p.format === 'builtin') {
    const name = p.builtin ?? p.name
    if (!name || (p.name && p.builtin && p.name !== p.builtin)) throw new AppError('INVALID_INPUT', 'name the built-in dataset with --builtin (e.g. --builtin mnist); it is stored under its own name')
    if (paths.length) throw new AppError('INVALID_INPUT', 'a built-in dataset takes no files')
    const record = await registry.datasets.get(name)
    return { record, created: !before.has(record.id), bytesRead: 0, seconds: (performance.now() - t0) / 1000 }
  }
  if (!p.name) throw new AppError('INVALID_INPUT', 'give the dataset a name (--name)')
  if (paths.length === 0) throw new AppError('INVALID_INPUT', `give the ${p.format} files to import`)
  let decoded: Decoded
  if (p.format === 'idx') decoded = await readIdxDataset(paths, p)
  else if (p.format === 'csv') decoded = await readCsvDataset(paths, p)
  else decoded = await readImageFolders(paths, p)
  const { bytesRead, ...input } = decoded
  const record = await registry.datasets.put({ ...input, name: p.name })
  return { record, created: !before.has(record.id), bytesRead, seconds: (performance.now() - t0) / 1000 }
}

/** Options that do not apply to the chosen format are refused rather than silently ignored. */
function checkOptions(p: DatasetImportOptions): void {
  const only: Array<[keyof DatasetImportOptions, string, DatasetImportOptions['format'][]]> = [
    ['labelColumn', '--label', ['csv']],
    ['header', '--header', ['csv']],
    ['delimiter', '--delimiter', ['csv']],
    ['color', '--color', ['images']],
    ['builtin', '--builtin', ['builtin']],
    ['testFraction', '--test-fraction', ['idx', 'csv', 'images']],
    ['seed', '--seed', ['idx', 'csv', 'images']],
    ['classes', '--classes', ['idx', 'csv', 'images']]
  ]
  for (const [key, flag, formats] of only) {
    if (p[key] !== undefined && !formats.includes(p.format)) throw new AppError('INVALID_INPUT', `${flag} does not apply to --format ${p.format} (only ${formats.join(', ')})`)
  }
}

/** datasets.export: the stored dataset as standard IDX files in `out`. */
export async function exportDataset(registry: FileRegistry, p: { ref: string; format: 'idx'; out: string; gzip: boolean }, cwd = process.cwd()): Promise<DatasetExportResult> {
  const stored = await registry.datasets.readStored(p.ref)
  const files = await exportIdx(stored, isAbsolute(p.out) ? p.out : resolve(cwd, p.out), p.gzip)
  return { record: stored.record, files }
}
