import type { ModelSpec } from '../../../shared/model/spec'

/** Extra floats after each worker's gradient in `parts`: loss sum, correct count, sample count, spare. */
export const EXTRAS = 4

/** Training settings that hold for a whole run. */
export interface TrainHyper {
  epochs: number
  batchSize: number
  lr: number
  schedule: 'constant' | 'cosine'
  beta1: number
  beta2: number
  eps: number
  /** Loss mix and temperature (loss.ts); alpha = 1 trains on labels alone. */
  alpha: number
  tau: number
  /** Proximal weight toward `anchor` (0: none). */
  mu: number
  /** Seeds the shuffling of every epoch. */
  seed: number
  /** Stop after this many steps in total (benchmarks); 0: no limit. */
  maxSteps: number
  /**
   * Training-time augmentation: 'shift' moves every image sample by a random whole number of pixels
   * in -2..2 on each axis (zeros fill in), drawn anew each epoch. Only for image inputs [h, w, c], and
   * only without cached teacher logits (they were computed on the unshifted images).
   */
  augment: 'none' | 'shift'
  /**
   * Parameters before this flat index (layout.ts order) stay as they are: 0 or absent trains all; the
   * head's first index trains only the last layer (a board that adapts its head, docs/method.md §3).
   */
  trainFrom?: number
}

/**
 * Everything a training run shares between the main thread and its workers. All arrays live on
 * SharedArrayBuffers: posting them to a worker shares, not copies.
 */
export interface SharedData {
  /** rows · prod(inputShape) inputs. */
  x: Float32Array
  /** rows labels in [0, classes). */
  y: Int32Array
  /** rows sample weights (already multiplied by the weight of the sample's class). */
  w: Float32Array
  /** rows · classes teacher logits, or null (teacher training, or a live teacher). */
  teacherLogits: Float32Array | null
  /** Rows to train on, and rows to validate on (disjoint). */
  train: Int32Array
  val: Int32Array
}

export interface SharedState {
  ctrl: Int32Array
  /** The student's flat parameters (layout.ts), updated in place by the workers. */
  params: Float32Array
  /** Adam's first and second moments, same layout. */
  m: Float32Array
  v: Float32Array
  /** workers · (P + EXTRAS): each worker's partial gradient and counters of the current step. */
  parts: Float32Array
  /** Proximal anchor (P), or null. */
  anchor: Float32Array | null
}

export interface TrainTask {
  student: ModelSpec
  /** A teacher evaluated inside every step (the kd.step benchmark); real runs cache its logits instead. */
  liveTeacher: { spec: ModelSpec; params: Float32Array } | null
  data: SharedData
  state: SharedState
  hyper: TrainHyper
  /** Where to begin: epoch, step within it, and Adam's update count so far. */
  start: { epoch: number; step: number; t: number }
}

/** What a worker tells the main thread while it trains (worker 0 speaks for all). */
export type TrainEvent =
  | { type: 'progress'; epoch: number; step: number; steps: number; loss: number; acc: number }
  | { type: 'epoch'; epoch: number; trainLoss: number; trainAcc: number; valLoss: number; valAcc: number; t: number }

/** How a run ended, as each worker reports it. */
export interface TrainOutcome {
  reason: 'finished' | 'stopped' | 'released'
  /** The position to resume from: the next step not applied. */
  epoch: number
  step: number
  t: number
  /** Worker 0 only: milliseconds of each step (benchmarks). */
  stepMs: number[]
  /** Worker 0 only: milliseconds spent per phase over all steps: gradient, waiting for the others, Adam, waiting again. */
  phaseMs: { gradient: number; wait: number; adam: number; sync: number }
}

export const stepsPerEpoch = (trainRows: number, batch: number): number => Math.max(1, Math.ceil(trainRows / batch))
