import { promises as fs } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { io, type Tensor } from '@tensorflow/tfjs-core'
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers'
import { AppError } from '../../core/errors'
import { inferShapes, type SpecModel } from '../../../shared/model/spec'
import { fromLayers } from './from-layers'
import { checkTopology } from './topology'

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, int8: 1, string: 0 }

async function readFileOr(path: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `${what} ${path} does not exist; give the path of a tfjs layers model.json next to its weight files`)
    throw new AppError('IO_ERROR', `cannot read ${what} ${path}: ${(e as Error).message}`)
  }
}

/** Reads model.json and its weight shards from disk, checking every shard's size against the manifest. */
export async function readModelFiles(path: string): Promise<io.ModelArtifacts> {
  const file = resolve(path)
  let json: io.ModelJSON
  try {
    json = JSON.parse((await readFileOr(file, 'model file')).toString('utf8')) as io.ModelJSON
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('MODEL_INVALID', `${file} is not valid JSON (${(e as Error).message}); expected a tfjs layers model.json`)
  }
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new AppError('MODEL_INVALID', `${file} has no modelTopology; expected a tfjs layers model.json`)
  if (!Array.isArray(json.weightsManifest)) throw new AppError('MODEL_INVALID', `${file} has no weightsManifest; export the model with its weights (model.save('file://...'))`)
  checkTopology(json.modelTopology, file)
  return io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: io.WeightsManifestEntry[] = []
    const buffers: Uint8Array[] = []
    for (const group of manifest) {
      const need = group.weights.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1) * (BYTES[w.quantization?.dtype ?? w.dtype] ?? 4), 0)
      const parts = await Promise.all(group.paths.map((p) => readFileOr(resolve(dirname(file), p), 'weights file')))
      const got = parts.reduce((a, b) => a + b.length, 0)
      if (got !== need) {
        throw new AppError('MODEL_INVALID', `weights file(s) ${group.paths.join(', ')} hold ${got} bytes but ${file} describes ${need}; the files do not belong together or are truncated`)
      }
      buffers.push(...parts)
      specs.push(...group.weights)
    }
    const all = new Uint8Array(buffers.reduce((a, b) => a + b.length, 0))
    let o = 0
    for (const b of buffers) {
      all.set(b, o)
      o += b.length
    }
    return [specs, all.buffer]
  })
}

/**
 * Imports a tfjs layers model (model.json + weight files) as a SpecModel. Unsupported layers, dilated
 * or channels-first convolutions, branching topologies and models not ending in class logits are
 * refused with MODEL_INVALID naming the layer.
 */
export async function importLayersModel(path: string): Promise<SpecModel> {
  const artifacts = await readModelFiles(path)
  let model: LayersModel
  try {
    model = await loadLayersModel({ load: async () => artifacts })
  } catch (e) {
    throw new AppError('MODEL_INVALID', `${resolve(path)}: tfjs could not build the model: ${(e as Error).message}`)
  }
  try {
    const m = fromLayers(model, resolve(path))
    try {
      inferShapes(m.spec)
    } catch (e) {
      throw new AppError('MODEL_INVALID', `${resolve(path)}: ${(e as Error).message}`)
    }
    return m
  } finally {
    model.dispose()
  }
}

export type { Tensor }
