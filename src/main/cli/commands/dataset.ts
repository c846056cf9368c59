import { type Command, InvalidArgumentError, Option } from 'commander'
import type { DatasetImportResult, DatasetRecord } from '../../../shared/api/datasets'
import type { CliContext } from '../context'
import { intOption, numOption } from '../options'
import { datasetLine, datasetSummary, mb } from './dataset-format'

interface ImportFlags {
  format?: 'idx' | 'csv' | 'images'
  name?: string
  builtin?: 'mnist'
  testFraction?: number
  seed?: number
  classes?: number
  label?: string
  header?: 'auto' | 'yes' | 'no'
  delimiter?: string
  color?: 'auto' | 'gray' | 'rgb'
}

const delimiter = (v: string): string => {
  const d = v === 'tab' || v === '\\t' ? '\t' : v
  if (![',', ';', '\t', '|'].includes(d)) throw new InvalidArgumentError(`--delimiter takes , ; | or tab, got "${v}"`)
  return d
}

export function registerDataset(program: Command, ctx: CliContext): void {
  const ds = program.command('dataset').description('import, list, show, export and remove datasets in the registry')

  ds.command('import')
    .description('import IDX files, a CSV file, a folder of images per class, or a built-in dataset')
    .argument('[files...]', 'idx: images + labels files (2, or 4 for train and test); csv: 1 file (or train + test); images: 1 folder')
    .addOption(new Option('--format <f>', 'file format').choices(['idx', 'csv', 'images']))
    .option('--name <name>', 'registry name of the dataset (required for files)')
    .addOption(new Option('--builtin <name>', 'a dataset that ships with the console').choices(['mnist']))
    .option('--test-fraction <f>', 'share held out as test when the files bring no test split (default 0.2)', numOption('--test-fraction', 0, 0.9))
    .option('--seed <n>', 'seed of the held-out split (default 1)', intOption('--seed', 0, 2 ** 32 - 1))
    .option('--classes <n>', 'number of classes; labels must lie in 0..n-1', intOption('--classes', 1, 65536))
    .option('--label <column>', 'csv: label column, by header name or 0-based index (default 0)')
    .addOption(new Option('--header <mode>', 'csv: is line 1 a header (default auto)').choices(['auto', 'yes', 'no']))
    .option('--delimiter <d>', 'csv: field separator: , ; | or tab (default ,)', delimiter)
    .addOption(new Option('--color <mode>', 'images: channels kept (default auto: gray when all images are gray)').choices(['auto', 'gray', 'rgb']))
    .action(async (files: string[], o: ImportFlags) => {
      if (!o.format && !o.builtin) throw new InvalidArgumentError('give --format idx|csv|images (or --builtin mnist)')
      const params = {
        format: o.builtin && !o.format ? ('builtin' as const) : (o.format as 'idx' | 'csv' | 'images'),
        paths: files,
        name: o.name,
        builtin: o.builtin,
        testFraction: o.testFraction,
        seed: o.seed,
        classes: o.classes,
        labelColumn: o.label === undefined ? undefined : /^\d+$/.test(o.label) ? Number(o.label) : o.label,
        header: o.header,
        delimiter: o.delimiter,
        color: o.color
      }
      const r = await ctx.withApp((app) => app.router.invoke('datasets.import', params))
      ctx.print(r, () => importSummary(r, o.name))
    })

  ds.command('list')
    .description('datasets in the registry')
    .action(async () => {
      const list = await ctx.withApp((app) => app.router.invoke('datasets.list', {}))
      ctx.print({ datasets: list }, () => (list.length ? list.map(datasetLine).join('\n') : 'no datasets yet; import one with `diredi dataset import` (or --builtin mnist)'))
    })

  ds.command('show')
    .description('one dataset: shape, classes, splits, class counts, hash, sources')
    .argument('<ref>', 'id or name')
    .option('--verify', 'recompute the content hash from the stored files')
    .action(async (ref: string, o: { verify?: boolean }) => {
      const out = await ctx.withApp(async (app) => {
        if (!o.verify) return { record: await app.router.invoke('datasets.get', { ref }) }
        return app.router.invoke('datasets.verify', { ref })
      })
      const verified = 'ok' in out ? out.ok : undefined
      ctx.print(verified === undefined ? out.record : { ...out.record, verified }, () => datasetSummary(out.record) + (verified === undefined ? '' : `\nverify    ${verified ? 'the stored files match the hash' : 'MISMATCH: the stored files were changed; remove the dataset and import it again'}`))
      if (verified === false) process.exitCode = 1
    })

  ds.command('export')
    .description('write a dataset as standard IDX files (train-images-idx3-ubyte, ...)')
    .argument('<ref>', 'id or name')
    .addOption(new Option('--format <f>', 'output format').choices(['idx']).makeOptionMandatory())
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .option('--gzip', 'gzip each file (.gz)')
    .action(async (ref: string, o: { format: 'idx'; out: string; gzip?: boolean }) => {
      const r = await ctx.withApp((app) => app.router.invoke('datasets.export', { ref, format: o.format, out: o.out, gzip: Boolean(o.gzip) }))
      ctx.print(r, () => [`exported ${r.record.name} (${r.record.id}):`, ...r.files.map((f) => `  ${f.path}  ${mb(f.bytes)}`)].join('\n'))
    })

  ds.command('rm')
    .description('remove a dataset from the registry')
    .argument('<ref>', 'id or name')
    .option('--force', 'remove it even though models name it in their lineage')
    .action(async (ref: string, o: { force?: boolean }) => {
      const r: DatasetRecord = await ctx.withApp((app) => app.router.invoke('datasets.remove', { ref, force: Boolean(o.force) }))
      ctx.print({ removed: r }, () => `removed ${r.name} (${r.id})`)
    })
}

function importSummary(r: DatasetImportResult, asked: string | undefined): string {
  const head = r.created
    ? `imported ${r.record.name} as ${r.record.id}`
    : `already in the registry: ${r.record.name} (${r.record.id}) holds exactly this content${asked && asked !== r.record.name ? `; "${asked}" now names it too` : ''}`
  const speed = r.bytesRead >= 1e6 && r.seconds > 0 ? `\nread      ${mb(r.bytesRead)} in ${r.seconds.toFixed(2)} s (${(r.bytesRead / 1e6 / r.seconds).toFixed(0)} MB/s)` : ''
  return `${head}\n${datasetSummary(r.record)}${speed}`
}
