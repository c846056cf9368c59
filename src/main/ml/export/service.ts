/**
 * Int8 artifacts and model files: quantise a registry model with calibration samples from its dataset
 * (in a worker thread), store the artifact with its measurements, export ONNX or artifact files, and
 * inspect artifacts. Expected failures are AppErrors that say what to do.
 */
import { promises as fs } from 'node:fs'
import { resolve } from 'node:path'
import type { ArtifactBuildResult, ArtifactInfo, ExportFormat, Int8Report, ModelExportResult } from '../../../shared/api/artifacts'
import { ArtifactError } from '../../../shared/int8/errors'
import { ARTIFACT_FORMAT_VERSION, decodeArtifact } from '../../../shared/int8/format'
import { isWeighted } from '../../../shared/int8/model'
import { checkInt8Model } from '../../../shared/int8/validate'
import type { ArtifactRecord } from '../../../shared/model/records'
import { AppError } from '../../core/errors'
import { writeFileAtomic } from '../../core/atomic'
import { sha256Hex } from '../../core/hash'
import type { DatasetSplit, Registry } from '../../store/types'
import { quantizeInWorker } from '../quantize/run'
import { exportOnnx } from './onnx'
import { exportInt8Onnx } from './onnx-int8'

export interface BuildParams {
  model: string
  dataset?: string
  calibrationSamples: number
  method: 'minmax' | 'percentile'
  percentile?: number
}

export interface ExportParams extends BuildParams {
  format: ExportFormat
  out: string
  force: boolean
}

export class ExportService {
  /** Aborted on dispose: stops quantisation workers still running. */
  private readonly closing = new AbortController()

  constructor(private readonly registry: Registry) {}

  dispose(): void {
    this.closing.abort()
  }

  async buildArtifact(p: BuildParams, signal?: AbortSignal): Promise<ArtifactBuildResult> {
    const t0 = performance.now()
    const record = await this.registry.models.get(p.model)
    const model = await this.registry.models.load(record.id)
    const datasetRef = p.dataset ?? record.lineage.datasetId
    if (!datasetRef) throw new AppError('INVALID_INPUT', `model ${record.id} names no dataset in its lineage; give one for calibration (--dataset NAME)`)
    const data = await this.registry.datasets.load(datasetRef)
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1)
    if (size(data.record.inputShape) !== size(record.spec.inputShape)) {
      throw new AppError('INVALID_INPUT', `dataset ${data.record.name} has samples of shape [${data.record.inputShape}], but model ${record.id} takes [${record.spec.inputShape}]; pick the dataset the model was trained on`)
    }
    if (data.record.classes !== record.spec.classes) {
      throw new AppError('INVALID_INPUT', `dataset ${data.record.name} has ${data.record.classes} classes, model ${record.id} has ${record.spec.classes}; pick the dataset the model was trained on`)
    }
    if (data.test.n === 0) throw new AppError('INVALID_INPUT', `dataset ${data.record.name} has no test samples to measure the int8 model on; import it with a test split`)
    const calibration = evenSample(data.train, p.calibrationSamples, size(record.spec.inputShape))
    const r = await quantizeInWorker(
      { model, calibration, testX: data.test.x, testY: data.test.y, options: { method: p.method, percentile: p.percentile } },
      signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal
    )
    const ev = r.evaluation
    const report: Int8Report = {
      datasetId: data.record.id,
      testSamples: data.test.n,
      calibrationSamples: calibration.length / size(record.spec.inputShape),
      floatAcc: ev.float.accuracy,
      int8Acc: ev.int8.accuracy,
      agreement: ev.agreement,
      perClassInt8Acc: ev.int8.perClass.map((c) => c.accuracy),
      confusion: ev.int8.confusion,
      maxAbsLogitError: ev.maxAbsLogitError,
      meanAbsLogitError: ev.meanAbsLogitError,
      floatLogitRange: ev.floatLogitRange
    }
    const before = await this.registry.artifacts.list()
    const metrics = { int8Acc: report.int8Acc, floatAcc: report.floatAcc, agreement: report.agreement, maxAbsLogitError: report.maxAbsLogitError, testSamples: report.testSamples, calibrationSamples: report.calibrationSamples }
    const stored = await this.registry.artifacts.put(r.artifact, { modelId: record.id, formatVersion: ARTIFACT_FORMAT_VERSION, metrics })
    return { record: stored, created: !before.some((a) => a.id === stored.id), report, seconds: (performance.now() - t0) / 1000 }
  }

  async exportModel(p: ExportParams, signal?: AbortSignal): Promise<ModelExportResult> {
    const out = resolve(p.out)
    if (!p.force) {
      const exists = await fs.stat(out).then(() => true, () => false)
      if (exists) throw new AppError('ALREADY_EXISTS', `${out} already exists; choose another --out or pass --force to replace it`)
    }
    const record = await this.registry.models.get(p.model)
    let bytes: Uint8Array
    let artifact: ArtifactBuildResult | undefined
    if (p.format === 'onnx') {
      bytes = exportOnnx(await this.registry.models.load(record.id), { name: record.name })
    } else {
      artifact = await this.buildArtifact(p, signal)
      bytes = await this.registry.artifacts.read(artifact.record.id)
      if (p.format === 'onnx-int8') bytes = exportInt8Onnx(decodeArtifact(bytes), { name: record.name })
    }
    await writeFileAtomic(out, bytes)
    return { format: p.format, out, bytes: bytes.length, sha256: sha256Hex(bytes), modelId: record.id, ...(artifact ? { artifact } : {}) }
  }

  getArtifact(ref: string): Promise<ArtifactRecord> {
    return this.registry.artifacts.get(ref)
  }

  async inspect(p: { ref?: string; path?: string }): Promise<ArtifactInfo> {
    let bytes: Uint8Array
    if (p.ref) bytes = await this.registry.artifacts.read(p.ref)
    else {
      const path = resolve(p.path ?? '')
      try {
        bytes = new Uint8Array(await fs.readFile(path))
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code === 'ENOENT') throw new AppError('NOT_FOUND', `${path}: no such file`)
        if (code === 'EISDIR') throw new AppError('INVALID_INPUT', `${path} is a folder; give the artifact file`)
        throw e
      }
    }
    return describeArtifact(bytes)
  }
}

/** Decodes and summarises artifact bytes; a bad file is MODEL_INVALID with the decoder's reason. */
export function describeArtifact(bytes: Uint8Array): ArtifactInfo {
  let m
  try {
    m = decodeArtifact(bytes)
  } catch (e) {
    if (e instanceof ArtifactError) throw new AppError('MODEL_INVALID', `not a valid int8 artifact (${e.code}): ${e.message}`, { artifactCode: e.code })
    throw e
  }
  const shapes = checkInt8Model(m)
  const layers = m.layers.map((l, i) => ({ type: l.type, outputShape: shapes[i + 1], weights: isWeighted(l) ? l.weights.length : 0 }))
  return {
    bytes: bytes.length,
    sha256: sha256Hex(bytes),
    formatVersion: ARTIFACT_FORMAT_VERSION,
    inputShape: m.inputShape,
    classes: m.classes,
    input: m.input,
    layers,
    weightCount: layers.reduce((a, l) => a + l.weights, 0),
    maxActivationBytes: Math.max(...shapes.map((s) => s.reduce((a, b) => a * b, 1)))
  }
}

/** k samples taken evenly across a split (splits may be ordered by class), copied into one array. */
function evenSample(split: DatasetSplit, k: number, size: number): Float32Array {
  const n = Math.min(k, split.n)
  if (n === 0) throw new AppError('INVALID_INPUT', 'the dataset has no train samples to calibrate with')
  const out = new Float32Array(n * size)
  for (let j = 0; j < n; j++) {
    const i = Math.floor((j * split.n) / n)
    out.set(split.x.subarray(i * size, (i + 1) * size), j * size)
  }
  return out
}
