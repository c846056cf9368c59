/**
 * Seeded random float weights for a spec (Glorot-uniform kernels, small uniform biases): reproducible
 * models for tests and benchmarks that need no training.
 */
import { mulberry32 } from '../random'
import { inferShapes, weightName, type ModelSpec, type NamedTensor, type SpecModel } from './spec'

export function randomSpecModel(spec: ModelSpec, seed = 1): SpecModel {
  const r = mulberry32(seed)
  const { weights } = inferShapes(spec)
  const tensors: NamedTensor[] = []
  weights.forEach((ws, i) => {
    if (!ws.length) return
    const [k, b] = ws
    const size = k.reduce((a, x) => a * x, 1)
    const outC = k[k.length - 1]
    const fanIn = size / outC
    const limit = Math.sqrt(6 / (fanIn + outC))
    tensors.push({ name: weightName(i, 'kernel'), shape: k, data: Float32Array.from({ length: size }, () => (2 * r() - 1) * limit) })
    tensors.push({ name: weightName(i, 'bias'), shape: b, data: Float32Array.from({ length: b[0] }, () => (2 * r() - 1) * 0.1) })
  })
  return { spec, weights: { tensors } }
}

/** n random inputs in [lo, hi), row-major. */
export function randomInputs(spec: ModelSpec, n: number, seed = 2, lo = 0, hi = 1): Float32Array {
  const r = mulberry32(seed)
  const size = spec.inputShape.reduce((a, b) => a * b, 1)
  return Float32Array.from({ length: n * size }, () => lo + (hi - lo) * r())
}
