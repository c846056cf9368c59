import { performance } from 'node:perf_hooks'
import type { InferReport } from '../../shared/api/boards'
import { inputSize, quantizeInput, runInt8, type Int8Model } from '../../shared/int8'
import { AppError } from '../core/errors'
import type { BoardSession } from './session'

/**
 * Runs `n` samples of a test set on the board (INFER: inputs the console sends, so their outputs may come
 * back one by one) and compares each with the label and with the console's own int8 reference output.
 */
export async function inferSamples(s: BoardSession, model: Int8Model, x: Float32Array, y: Int32Array, n: number, dataset: string): Promise<InferReport> {
  const size = inputSize(model)
  if (x.length < n * size) throw new AppError('INVALID_INPUT', `the dataset has ${Math.floor(x.length / size)} samples of ${size} values; asked for ${n}`)
  let correct = 0
  let exact = 0
  let latSum = 0
  let latMax = 0
  let next = 0
  const t0 = performance.now()
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const input = quantizeInput(model, x.subarray(i * size, (i + 1) * size))
      const r = await s.request('INFER', { input }, ['INFER_RESULT'])
      const ref = runInt8(model, input)
      if (r.scores.length === ref.length && r.scores.every((v, k) => v === ref[k])) exact++
      if (r.class === y[i]) correct++
      latSum += r.latencyUs
      latMax = Math.max(latMax, r.latencyUs)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  const secs = (performance.now() - t0) / 1000
  return {
    path: s.path, dataset, count: n, correct, accuracy: n ? correct / n : 0, exactMatches: exact,
    latencyMeanUs: n ? Math.round(latSum / n) : 0, latencyMaxUs: latMax, throughput: secs > 0 ? +(n / secs).toFixed(1) : 0
  }
}
