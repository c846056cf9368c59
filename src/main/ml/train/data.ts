import { Rng } from '../../../shared/random'
import { AppError } from '../../core/errors'
import type { SharedData } from './task'

/** The decoded samples of one split (the registry's DatasetSplit). */
export interface Samples {
  x: Float32Array
  y: Int32Array
  n: number
}

export interface PrepareOptions {
  inputShape: number[]
  classes: number
  /** Share of the rows held out for validation (early stopping), 0..0.5. */
  valFraction: number
  seed: number
  /** Per-sample weights (docs/method.md §6: w(x)), default 1. */
  sampleWeights?: Float32Array | null
  /** Per-class weights, default 1. */
  classWeights?: number[] | null
  /** What the data is called in error messages. */
  name: string
}

const sharedF32 = (n: number) => new Float32Array(new SharedArrayBuffer(n * 4))
const sharedI32 = (n: number) => new Int32Array(new SharedArrayBuffer(n * 4))

const CHUNK = 1 << 19
/** Lets the event loop run between chunks of a long copy or check (a job's start must not stall the UI). */
const breathe = () => new Promise<void>((r) => setImmediate(r))

/**
 * Copies a training split into shared memory for the workers, checks it, folds class weights into the
 * sample weights, and carves a validation part out of it (a seeded shuffle; the test split is never
 * touched by training). Works in chunks, yielding to the event loop between them.
 */
export async function prepareData(s: Samples, o: PrepareOptions): Promise<SharedData> {
  const f = o.inputShape.reduce((a, b) => a * b, 1)
  const bad = (why: string, what = 'check the dataset or import it again'): never => {
    throw new AppError('DATASET_INVALID', `${o.name}: ${why}; ${what}`)
  }
  if (s.n < 2) bad(`only ${s.n} training samples`, 'training needs at least 2')
  if (s.x.length !== s.n * f) bad(`${s.x.length} input values for ${s.n} samples of shape [${o.inputShape}]`)
  if (s.y.length !== s.n) bad(`${s.y.length} labels for ${s.n} samples`)
  if (!(o.valFraction >= 0 && o.valFraction <= 0.5)) throw new AppError('INVALID_INPUT', `valFraction must be within 0..0.5, got ${o.valFraction}`)
  if (o.sampleWeights && o.sampleWeights.length !== s.n) throw new AppError('INVALID_INPUT', `${o.sampleWeights.length} sample weights for ${s.n} samples`)
  if (o.classWeights && o.classWeights.length !== o.classes) throw new AppError('INVALID_INPUT', `${o.classWeights.length} class weights for ${o.classes} classes`)
  const x = sharedF32(s.x.length)
  for (let lo = 0; lo < x.length; lo += CHUNK) {
    const hi = Math.min(x.length, lo + CHUNK)
    x.set(s.x.subarray(lo, hi), lo)
    for (let i = lo; i < hi; i++) if (!Number.isFinite(x[i])) bad(`sample ${Math.floor(i / f)} holds a non-finite value`)
    await breathe()
  }
  const y = sharedI32(s.n)
  y.set(s.y)
  const w = sharedF32(s.n)
  for (let i = 0; i < s.n; i++) {
    if (!(y[i] >= 0 && y[i] < o.classes)) bad(`sample ${i} has label ${y[i]}, outside 0..${o.classes - 1}`)
    const v = (o.sampleWeights ? o.sampleWeights[i] : 1) * (o.classWeights ? o.classWeights[y[i]] : 1)
    if (!(v >= 0) || !Number.isFinite(v)) throw new AppError('INVALID_INPUT', `sample ${i} gets weight ${v}; weights must be finite and >= 0`)
    w[i] = v
  }
  const order = Array.from({ length: s.n }, (_, i) => i)
  new Rng(o.seed).fork('validation split').shuffle(order)
  const nVal = Math.min(s.n - 1, Math.round(s.n * o.valFraction))
  const val = sharedI32(nVal)
  val.set(order.slice(0, nVal).sort((a, b) => a - b))
  const train = sharedI32(s.n - nVal)
  train.set(order.slice(nVal).sort((a, b) => a - b))
  return { x, y, w, teacherLogits: null, train, val }
}
