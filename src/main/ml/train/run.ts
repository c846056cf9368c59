import type { ModelSpec } from '../../../shared/model/spec'
import { AppError } from '../../core/errors'
import { paramLayout } from '../model/layout'
import type { MlPool } from '../worker/pool'
import { CTRL, newCtrl, release } from './sync'
import { EXTRAS, type SharedData, type TrainHyper, type TrainOutcome } from './task'

/** One epoch's figures. Losses are per-sample means of the training objective. */
export interface EpochMetrics {
  epoch: number
  trainLoss: number
  trainAcc: number
  valLoss: number
  valAcc: number
}

/** All a run needs to continue exactly where it stopped (see checkpoint.ts for the file). */
export interface TrainState {
  /** The next step to run: epoch, step within it, Adam updates so far. */
  position: { epoch: number; step: number; t: number }
  params: Float32Array
  m: Float32Array
  v: Float32Array
  /** Best parameters by validation loss so far, and when. */
  best: { params: Float32Array; epoch: number; valLoss: number; valAcc: number } | null
  /** Epochs since the best one (early stopping). */
  sinceBest: number
  history: EpochMetrics[]
}

export interface RunOptions {
  student: ModelSpec
  data: SharedData
  hyper: TrainHyper
  /** Early stopping: stop after this many epochs without a better validation loss (0: never). */
  patience: number
  /** Where to start: a fresh state (initial params, zero moments) or a checkpoint's. */
  state: TrainState
  anchor?: Float32Array | null
  liveTeacher?: { spec: ModelSpec; params: Float32Array } | null
  signal?: AbortSignal
  onProgress?: (p: { epoch: number; step: number; steps: number; loss: number; acc: number }) => void
  /** After every epoch (and at a stop), with a consistent snapshot; awaited before the run resolves. */
  onState?: (s: TrainState, why: 'epoch' | 'stopped') => Promise<void> | void
}

export interface RunResult {
  state: TrainState
  /** 'cancelled' when the signal stopped it; the state then holds the exact position to resume. */
  ended: 'finished' | 'early-stopped' | 'cancelled'
  /** Worker 0's step durations and where they went (ms), for benchmarks. */
  stepMs: number[]
  phaseMs: TrainOutcome['phaseMs']
}

const shared = (n: number) => new Float32Array(new SharedArrayBuffer(n * 4))

/** A fresh state: given initial parameters, zero Adam moments, at the start. */
export function freshState(params: Float32Array): TrainState {
  return { position: { epoch: 0, step: 0, t: 0 }, params, m: new Float32Array(params.length), v: new Float32Array(params.length), best: null, sinceBest: 0, history: [] }
}

/**
 * Trains on every worker of the pool (data parallel, train/loop.ts) from `state` to the end of the
 * epochs, early stopping, or cancellation. The main thread only copies snapshots and decides, so its
 * event loop stays free while the workers compute.
 */
export async function runTraining(pool: MlPool, o: RunOptions): Promise<RunResult> {
  const P = paramLayout(o.student).total
  if (o.state.params.length !== P) throw new AppError('MODEL_INVALID', `the starting weights hold ${o.state.params.length} values; the student needs ${P}`)
  const workers = pool.size
  const ctrl = newCtrl()
  const params = shared(P)
  const m = shared(P)
  const v = shared(P)
  params.set(o.state.params)
  m.set(o.state.m)
  v.set(o.state.v)
  const anchor = o.anchor ? shared(P) : null
  if (anchor && o.anchor) anchor.set(o.anchor)
  const liveTeacher = o.liveTeacher ? { spec: o.liveTeacher.spec, params: shared(o.liveTeacher.params.length) } : null
  if (liveTeacher && o.liveTeacher) liveTeacher.params.set(o.liveTeacher.params)
  const state: TrainState = { ...o.state, history: o.state.history.slice() }
  const snapshot = (position: TrainState['position']): TrainState => ({ ...state, position, params: params.slice(), m: m.slice(), v: v.slice() })
  const cancel = () => Atomics.store(ctrl, CTRL.CANCEL, 1)
  if (o.signal?.aborted) cancel()
  o.signal?.addEventListener('abort', cancel)
  const writes: Promise<void>[] = []
  let writeError: unknown = null
  let early = false
  const task = {
    student: o.student,
    liveTeacher,
    data: o.data,
    state: { ctrl, params, m, v, parts: shared(workers * (P + EXTRAS)), anchor },
    hyper: o.hyper,
    start: o.state.position
  }
  const onEvent = (e: Parameters<NonNullable<Parameters<MlPool['call']>[2]>>[0]) => {
    if (e.type === 'progress') return o.onProgress?.(e)
    const metrics: EpochMetrics = { epoch: e.epoch, trainLoss: e.trainLoss, trainAcc: e.trainAcc, valLoss: e.valLoss, valAcc: e.valAcc }
    state.history.push(metrics)
    const hasVal = o.data.val.length > 0
    if (hasVal && (!state.best || e.valLoss < state.best.valLoss)) {
      state.best = { params: params.slice(), epoch: e.epoch, valLoss: e.valLoss, valAcc: e.valAcc }
      state.sinceBest = 0
    } else state.sinceBest++
    early = hasVal && o.patience > 0 && state.sinceBest >= o.patience
    const stop = early || e.epoch + 1 >= o.hyper.epochs || Boolean(o.signal?.aborted)
    const snap = snapshot({ epoch: e.epoch + 1, step: 0, t: e.t })
    release(ctrl, stop)
    // A checkpoint that cannot be written (disk full) stops the run: going on would lose the work anyway.
    if (o.onState)
      writes.push(
        Promise.resolve()
          .then(() => o.onState?.(snap, 'epoch'))
          .catch((e: unknown) => {
            writeError ??= e
            cancel()
          })
      )
  }
  let outcomes: TrainOutcome[]
  try {
    outcomes = await Promise.all(
      Array.from({ length: workers }, (_, index) => pool.call<'train'>(index, { op: 'train', task, index, count: workers }, index === 0 ? onEvent : undefined))
    ).catch((e: unknown) => {
      Atomics.store(ctrl, CTRL.ABORT, 1)
      Atomics.notify(ctrl, CTRL.GEN)
      Atomics.notify(ctrl, CTRL.RELEASE)
      throw e
    })
  } finally {
    o.signal?.removeEventListener('abort', cancel)
  }
  await Promise.all(writes)
  if (writeError) throw writeError
  const out = outcomes[0]
  const final = snapshot({ epoch: out.epoch, step: out.step, t: out.t })
  const cancelled = out.reason === 'stopped' || (out.reason === 'released' && Boolean(o.signal?.aborted) && !early && out.epoch < o.hyper.epochs)
  if (cancelled && o.onState) await o.onState(final, 'stopped')
  return { state: final, ended: cancelled ? 'cancelled' : early ? 'early-stopped' : 'finished', stepMs: out.stepMs, phaseMs: out.phaseMs }
}
