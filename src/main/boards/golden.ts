import { ArtifactError, decodeArtifact, inputSize, quantizeInput, runInt8, type Int8Model } from '../../shared/int8'
import { mulberry32 } from '../../shared/random'
import { AppError } from '../core/errors'
import type { GoldenSet } from './flash'

/** Decodes an artifact for the console's own use; a bad one is MODEL_INVALID, not a bug. */
export function decodeForConsole(artifact: Uint8Array, what: string): Int8Model {
  try {
    return decodeArtifact(artifact)
  } catch (e) {
    if (e instanceof ArtifactError) throw new AppError('MODEL_INVALID', `${what} is not a valid int8 artifact: ${e.message} [${e.code}]`)
    throw e
  }
}

/**
 * K golden inputs and the console's reference int8 outputs for them (docs/method.md §2). Inputs are the
 * quantised `samples` when given (float samples, row-major, e.g. from a test set), else seeded random int8
 * vectors, which reach every kernel path including saturation. A board must reproduce the outputs exactly.
 */
export function goldenSet(artifact: Uint8Array, k: number, samples?: Float32Array, seed = 0x601d): GoldenSet {
  const m = decodeForConsole(artifact, 'the artifact')
  const size = inputSize(m)
  const inputs: Int8Array[] = []
  if (samples) {
    const n = Math.min(k, Math.floor(samples.length / size))
    for (let i = 0; i < n; i++) inputs.push(quantizeInput(m, samples.subarray(i * size, (i + 1) * size)))
  }
  const r = mulberry32(seed)
  while (inputs.length < k) inputs.push(Int8Array.from({ length: size }, () => Math.floor(r() * 256) - 128))
  return { inputs, outputs: inputs.map((x) => runInt8(m, x)) }
}
