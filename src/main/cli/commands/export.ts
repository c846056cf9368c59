import { InvalidArgumentError, type Command } from 'commander'
import { EXPORT_FORMATS, type ArtifactInfo, type ExportFormat, type ModelExportResult } from '../../../shared/api/artifacts'
import type { CliContext } from '../context'
import { intOption, numOption } from '../options'

interface ExportOptions {
  model: string
  format: ExportFormat
  out: string
  dataset?: string
  calibrationSamples: number
  percentile?: number
  force?: boolean
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('write a model as an int8 artifact for boards (quantised and measured), a float ONNX file, or int8 QLinear ONNX')
    .requiredOption('--model <id>', 'model id or name')
    .requiredOption('--format <f>', 'artifact (int8, for boards) | onnx (float) | onnx-int8 (QLinear)', (v: string): ExportFormat => {
      const f = EXPORT_FORMATS.find((x) => x === v)
      if (!f) throw new InvalidArgumentError(`--format takes ${EXPORT_FORMATS.join(', ')}; got "${v}"`)
      return f
    })
    .requiredOption('--out <file>', 'file to write')
    .option('--dataset <ref>', "calibration and test data (default: the model's dataset)")
    .option('--calibration-samples <n>', 'train samples that calibrate the int8 ranges', intOption('--calibration-samples', 1, 100_000), 4000)
    .option('--percentile <p>', 'clip activation ranges at this percentile instead of min/max (e.g. 99.99)', numOption('--percentile', 50.0001, 100))
    .option('--force', 'replace --out if it exists')
    .action(async (o: ExportOptions) => {
      if (o.format !== 'onnx') ctx.note(`quantising ${o.model} with ${o.calibrationSamples} calibration samples...`)
      const r = await ctx.withApp((app) =>
        app.router.invoke('models.export', {
          model: o.model,
          format: o.format,
          out: o.out,
          force: o.force ?? false,
          calibrationSamples: o.calibrationSamples,
          method: o.percentile === undefined ? 'minmax' : 'percentile',
          ...(o.dataset ? { dataset: o.dataset } : {}),
          ...(o.percentile === undefined ? {} : { percentile: o.percentile })
        })
      )
      ctx.print(r, () => humanExport(r))
    })

  program
    .command('inspect')
    .description('check an int8 artifact (a file, or --artifact ID from the registry) and list its layers')
    .argument('[file]', 'artifact file')
    .option('--artifact <id>', 'a stored artifact instead of a file')
    .action(async (file: string | undefined, o: { artifact?: string }) => {
      const params = o.artifact ? { ref: o.artifact, ...(file ? { path: file } : {}) } : { ...(file ? { path: file } : {}) }
      const r = await ctx.withApp((app) => app.router.invoke('artifacts.inspect', params))
      ctx.print(r, () => humanInspect(r))
    })
}

function humanExport(r: ModelExportResult): string {
  const lines = [`wrote ${r.out} (${r.format}, ${r.bytes} bytes) from model ${r.modelId}`, `sha256 ${r.sha256}`]
  const a = r.artifact
  if (a) {
    const t = a.report
    lines.push(
      `artifact ${a.record.id}${a.created ? '' : ' (already in the registry)'}, format version ${a.record.formatVersion}`,
      `int8 accuracy ${pct(t.int8Acc)}, float ${pct(t.floatAcc)}, agreement ${pct(t.agreement)} on ${t.testSamples} test samples of ${t.datasetId}`,
      `logit error: max ${t.maxAbsLogitError.toFixed(4)}, mean ${t.meanAbsLogitError.toFixed(4)} (float logits span ${t.floatLogitRange.toFixed(2)})`,
      `calibrated on ${t.calibrationSamples} train samples in ${a.seconds.toFixed(1)} s`
    )
    if (t.agreement < 0.99) lines.push('warning: int8 agrees with float on fewer than 99% of test samples (the QA gate requires 99%)')
  }
  return lines.join('\n')
}

function humanInspect(r: ArtifactInfo): string {
  return [
    `int8 artifact, format version ${r.formatVersion}, ${r.bytes} bytes, sha256 ${r.sha256}`,
    `input [${r.inputShape}] (scale ${r.input.scale}, zero point ${r.input.zeroPoint}) -> ${r.classes} logits`,
    ...r.layers.map((l, i) => `  ${String(i).padStart(2)} ${l.type.padEnd(16)} -> [${l.outputShape}]${l.weights ? `  ${l.weights} weights` : ''}`),
    `${r.weightCount} int8 weights; largest activation ${r.maxActivationBytes} bytes`
  ].join('\n')
}
