import { z } from 'zod'
import type { ArtifactRecord } from '../model/records'
import { method } from './define'

const Ref = z.string().min(1).max(200)
const Path = z.string().min(1).max(4096)

/**
 * File formats of `models.export`: the int8 artifact boards run; the float model as ONNX; the int8 model
 * as ONNX QLinear operators (within one int8 step of the artifact's reference outputs).
 */
export const EXPORT_FORMATS = ['artifact', 'onnx', 'onnx-int8'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** How int8 activation ranges are calibrated: the extremes, or percentiles that clip outliers. */
export const CalibrationParams = z
  .object({
    /** Dataset whose train split calibrates and whose test split evaluates (default: the model's own). */
    dataset: Ref.optional(),
    /** Train samples used for calibration, taken evenly across the split (default 4000: on the mnist digits
     *  1000 left the largest logit error at 11% of the logit span, from a few test samples beyond the
     *  calibrated ranges; 4000 brought it to 3%). */
    calibrationSamples: z.number().int().min(1).max(100_000).default(4000),
    method: z.enum(['minmax', 'percentile']).default('minmax'),
    /** For 'percentile' (default 99.99). */
    percentile: z.number().gt(50).max(100).optional()
  })
  .strict()

/** The int8 model measured on the test split against its labels and its float model. */
export interface Int8Report {
  datasetId: string
  testSamples: number
  calibrationSamples: number
  floatAcc: number
  int8Acc: number
  /** Share of test samples where int8 and float predict the same class. */
  agreement: number
  perClassInt8Acc: number[]
  /** confusion[true][predicted] of the int8 model. */
  confusion: number[][]
  /** |dequantised int8 logit - float logit| over the test split. */
  maxAbsLogitError: number
  meanAbsLogitError: number
  floatLogitRange: number
}

export interface ArtifactBuildResult {
  record: ArtifactRecord
  /** False when the registry already held these exact bytes. */
  created: boolean
  report: Int8Report
  seconds: number
}

export interface ModelExportResult {
  format: ExportFormat
  /** Absolute path written (an existing file is replaced only with force). */
  out: string
  bytes: number
  /** SHA-256 of the written file. */
  sha256: string
  modelId: string
  /** For 'artifact' and 'onnx-int8': the registry record and the int8 measurements. */
  artifact?: ArtifactBuildResult
}

/** What an artifact file holds, read back and checked (magic, version, CRC, every record). */
export interface ArtifactInfo {
  bytes: number
  sha256: string
  formatVersion: number
  inputShape: number[]
  classes: number
  input: { scale: number; zeroPoint: number }
  layers: Array<{ type: string; outputShape: number[]; weights: number }>
  /** Total int8 weights, and the largest activation buffer in bytes (a board needs two). */
  weightCount: number
  maxActivationBytes: number
}

export const artifactMethods = {
  'artifacts.build': method<ArtifactBuildResult>()(
    CalibrationParams.extend({ model: Ref }).strict(),
    'Quantise a model to an int8 artifact, store it, and measure it against its float model'
  ),
  'artifacts.get': method<ArtifactRecord>()(z.object({ ref: Ref }).strict(), 'One artifact by id'),
  'artifacts.inspect': method<ArtifactInfo>()(
    z.object({ ref: Ref.optional(), path: Path.optional() }).strict().refine((p) => (p.ref === undefined) !== (p.path === undefined), 'give exactly one of ref (a stored artifact) or path (a file)'),
    'Decode and check an artifact (stored, or a file) and summarise its layers'
  ),
  'models.export': method<ModelExportResult>()(
    CalibrationParams.extend({ model: Ref, format: z.enum(EXPORT_FORMATS), out: Path, force: z.boolean().default(false) }).strict(),
    'Write a model as an int8 artifact file, a float ONNX file, or its int8 quantisation as QLinear ONNX'
  )
}
