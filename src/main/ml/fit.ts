import type { ModelSpec, ModelWeights, SpecModel } from '../../shared/model/spec'
import { AppError } from '../core/errors'
import { initWeights } from './model/init'
import { flatten, paramLayout, unflatten } from './model/layout'
import { predictLogits } from './predict'
import { loadCheckpoint, saveCheckpoint } from './train/checkpoint'
import { prepareData, type Samples } from './train/data'
import { freshState, runTraining, type EpochMetrics, type TrainState } from './train/run'
import type { TrainHyper } from './train/task'
import type { MlPool } from './worker/pool'

export interface FitOptions {
  spec: ModelSpec
  /** The training split; a validation part is carved from it. */
  train: Samples
  /** Names the data in error messages. */
  dataName: string
  /** Distil from this teacher's logits (alpha < 1), or train on labels alone (null). */
  teacher: SpecModel | null
  /**
   * Soft targets given directly instead of a teacher: logits (rows of the training split · classes),
   * e.g. z_T(x) + d(x) when knowledge is folded into a teacher (docs/method.md §5).
   */
  targetLogits?: Float32Array | null
  hyper: TrainHyper
  valFraction: number
  /** Early-stopping patience in epochs (0: train all epochs). */
  patience: number
  /** Start from these weights (warm start) instead of fresh ones seeded by hyper.seed. */
  init?: ModelWeights | null
  /** Proximal anchor (hyper.mu > 0). */
  anchor?: ModelWeights | null
  sampleWeights?: Float32Array | null
  classWeights?: number[] | null
  /** Checkpoint folder; with `resume`, an existing checkpoint there is continued. */
  workDir?: string | null
  resume?: boolean
  /** Identifies what the checkpoint must belong to (the job's params), so a foreign one is refused. */
  fingerprint?: string
  signal?: AbortSignal
  onProgress?: (p: { epoch: number; step: number; steps: number; loss: number; acc: number }) => void
  onEpoch?: (m: EpochMetrics) => void
  /** A note for the job log. */
  log?: (line: string) => void
}

export interface FitResult {
  /** The best weights by validation loss (the last ones when there is no validation part). */
  model: SpecModel
  history: EpochMetrics[]
  ended: 'finished' | 'early-stopped' | 'cancelled'
  /** Epochs run, counting those before a resume. */
  epochs: number
  bestEpoch: number | null
}

/**
 * Trains a model on the pool's workers, from scratch or a warm start, with or without a teacher,
 * checkpointing into `workDir` after every epoch; a cancelled run saves its exact position and throws
 * CANCELLED. The caller holds the pool (`pool.exclusive`).
 */
export async function fit(pool: MlPool, o: FitOptions): Promise<FitResult> {
  const layout = paramLayout(o.spec)
  const data = await prepareData(o.train, { inputShape: o.spec.inputShape, classes: o.spec.classes, valFraction: o.valFraction, seed: o.hyper.seed, sampleWeights: o.sampleWeights, classWeights: o.classWeights, name: o.dataName })
  if (o.teacher && o.targetLogits) throw new AppError('INVALID_INPUT', 'give a teacher or target logits, not both')
  if (o.targetLogits) {
    if (o.targetLogits.length !== o.train.n * o.spec.classes) throw new AppError('INVALID_INPUT', `${o.targetLogits.length} target logits for ${o.train.n} samples of ${o.spec.classes} classes`)
    data.teacherLogits = new Float32Array(new SharedArrayBuffer(o.targetLogits.length * 4))
    data.teacherLogits.set(o.targetLogits)
  }
  if (o.teacher) {
    const t = o.teacher.spec
    if (t.classes !== o.spec.classes || t.inputShape.join() !== o.spec.inputShape.join()) {
      throw new AppError('MODEL_INVALID', `the teacher takes [${t.inputShape}] and gives ${t.classes} classes; the data has [${o.spec.inputShape}] and ${o.spec.classes}`)
    }
    o.log?.('computing the teacher’s logits on the training data')
    data.teacherLogits = await predictLogits(pool, o.teacher, data.x, o.train.n)
  }
  const fingerprint = o.fingerprint ?? ''
  let state: TrainState | null = null
  if (o.resume && o.workDir) {
    const ck = await loadCheckpoint(o.workDir).catch((e: unknown) => {
      o.log?.(`ignoring the checkpoint: ${(e as Error).message}`)
      return null
    })
    if (ck && ck.fingerprint === fingerprint && ck.spec && JSON.stringify(ck.spec) === JSON.stringify(o.spec)) {
      state = ck.state
      o.log?.(`resuming at epoch ${state.position.epoch + 1}, step ${state.position.step} (${state.position.t} updates done)`)
    } else if (ck) o.log?.('the checkpoint belongs to other settings; starting afresh')
  }
  state ??= freshState(flatten(layout, o.init ?? initWeights(o.spec, o.hyper.seed)))
  const anchor = o.anchor ? flatten(layout, o.anchor) : null
  const result = await runTraining(pool, {
    student: o.spec,
    data,
    hyper: o.hyper,
    patience: o.patience,
    state,
    anchor,
    signal: o.signal,
    onProgress: o.onProgress,
    onState: async (s, why) => {
      if (why === 'epoch') o.onEpoch?.(s.history[s.history.length - 1])
      if (o.workDir) await saveCheckpoint(o.workDir, { spec: o.spec, fingerprint, state: s })
    }
  })
  if (result.ended === 'cancelled') {
    const p = result.state.position
    throw new AppError('CANCELLED', `stopped at epoch ${p.epoch + 1}, step ${p.step}; the checkpoint is kept, so the job can be resumed`)
  }
  const s = result.state
  const weights = unflatten(layout, s.best ? s.best.params : s.params)
  return { model: { spec: o.spec, weights }, history: s.history, ended: result.ended, epochs: s.history.length, bestEpoch: s.best ? s.best.epoch : null }
}
