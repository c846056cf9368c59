import type { ModelSpec, ModelWeights, SpecModel } from '../../shared/model/spec'
import { hyperFrom } from './defaults'
import { fit } from './fit'
import { paramLayout } from './model/layout'
import { predictLogits } from './predict'
import { predictLabels } from './evaluate'
import type { Samples } from './train/data'
import type { MlPool } from './worker/pool'

/**
 * The training and inference the DiReDi loop needs, on the ml engine's worker pool (each call holds
 * the whole pool while it runs). Every step of docs/method.md (§1-§8) is one `train` with its own loss settings.
 */
export interface TrainSpec {
  spec: ModelSpec
  /** Start from these weights (warm start / the model being adapted); fresh ones from `seed` if absent. */
  init?: ModelWeights | null
  data: Samples
  epochs: number
  lr: number
  batchSize?: number
  seed: number
  /** Soft targets: a teacher's logits on `data` (docs/method.md §1 and §6) or z_T + d (step 5); with alpha < 1. */
  targetLogits?: Float32Array | null
  alpha?: number
  tau?: number
  /** Proximal anchor mu/2 * ||theta - anchor||^2. */
  anchor?: ModelWeights | null
  mu?: number
  sampleWeights?: Float32Array | null
  classWeights?: number[] | null
  /** Train only the last weighted layer (a board that adapts its head). */
  headOnly?: boolean
  signal?: AbortSignal
  onEpoch?: (epoch: number, loss: number) => void
}

export async function train(pool: MlPool, t: TrainSpec): Promise<SpecModel> {
  const layout = paramLayout(t.spec)
  const trainFrom = t.headOnly ? headOffset(t.spec, layout) : 0
  const hyper = { ...hyperFrom({ epochs: t.epochs, batchSize: t.batchSize ?? 64, lr: t.lr, seed: t.seed, alpha: t.targetLogits ? (t.alpha ?? 0.3) : 1, tau: t.tau ?? 4, mu: t.anchor ? (t.mu ?? 0) : 0 }), trainFrom }
  const r = await pool.exclusive(() =>
    fit(pool, {
      spec: t.spec,
      train: t.data,
      dataName: 'the round’s data',
      teacher: null,
      targetLogits: t.targetLogits ?? null,
      hyper,
      valFraction: 0,
      patience: 0,
      init: t.init ?? null,
      anchor: t.anchor ?? null,
      sampleWeights: t.sampleWeights ?? null,
      classWeights: t.classWeights ?? null,
      signal: t.signal,
      onEpoch: (m) => t.onEpoch?.(m.epoch + 1, m.trainLoss)
    })
  )
  return r.model
}

/** The flat index where the last weighted layer's parameters begin. */
export function headOffset(spec: ModelSpec, layout = paramLayout(spec)): number {
  const last = layout.slots[layout.slots.length - 1]
  const layer = last.name.split('/')[0]
  return layout.slots.find((s) => s.name.split('/')[0] === layer)?.offset ?? 0
}

/** Names of the weight tensors of the layers an adaptation touches. */
export function adaptedNames(spec: ModelSpec, layers: 'head' | 'all'): string[] {
  const slots = paramLayout(spec).slots
  if (layers === 'all') return slots.map((s) => s.name)
  const head = slots[slots.length - 1].name.split('/')[0]
  return slots.filter((s) => s.name.split('/')[0] === head).map((s) => s.name)
}

/** Every weight tensor's shape by name (`${layer}/kernel|bias`): what knowledge about a model must match. */
export function weightShapes(spec: ModelSpec): Map<string, number[]> {
  return new Map(paramLayout(spec).slots.map((s) => [s.name, s.shape]))
}

export const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN)

/** Share of predictions equal to the labels. */
export function shareRight(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let ok = 0
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++
  return y.length ? ok / y.length : 0
}

export function logits(pool: MlPool, model: SpecModel, data: { x: Float32Array; n: number }): Promise<Float32Array> {
  return pool.exclusive(() => predictLogits(pool, model, data.x, data.n))
}

export function labels(pool: MlPool, model: SpecModel, data: { x: Float32Array; n: number }): Promise<Int32Array> {
  return pool.exclusive(() => predictLabels(pool, model, data))
}

export async function accuracy(pool: MlPool, model: SpecModel, data: Samples): Promise<number> {
  return shareRight(await labels(pool, model, data), data.y)
}

/** theta + scale * delta for the named tensors (others unchanged); a new weight set. */
export function addDelta(w: ModelWeights, delta: Map<string, Float32Array>, scale = 1): ModelWeights {
  return {
    tensors: w.tensors.map((t) => {
      const d = delta.get(t.name)
      if (!d) return { ...t, data: t.data.slice() }
      const data = new Float32Array(t.data.length)
      for (let i = 0; i < data.length; i++) data[i] = t.data[i] + scale * d[i]
      return { ...t, data }
    })
  }
}

/** after - before for the named tensors. */
export function diff(after: ModelWeights, before: ModelWeights, names: string[]): Map<string, Float32Array> {
  const b = new Map(before.tensors.map((t) => [t.name, t.data]))
  const out = new Map<string, Float32Array>()
  for (const t of after.tensors) {
    if (!names.includes(t.name)) continue
    const base = b.get(t.name) as Float32Array
    const d = new Float32Array(t.data.length)
    for (let i = 0; i < d.length; i++) d[i] = t.data[i] - base[i]
    out.set(t.name, d)
  }
  return out
}

/** The omega-weighted mean of several weight sets of one architecture. */
export function weightedMean(ws: ModelWeights[], omega: number[]): ModelWeights {
  return {
    tensors: ws[0].tensors.map((t, k) => {
      const data = new Float32Array(t.data.length)
      ws.forEach((w, j) => {
        const src = w.tensors[k].data
        for (let i = 0; i < data.length; i++) data[i] += omega[j] * src[i]
      })
      return { ...t, data }
    })
  }
}
