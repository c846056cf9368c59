import type { BackendName } from '../../../shared/api/system'
import type { ModelSpec, SpecModel } from '../../../shared/model/spec'
import type { TrainEvent, TrainOutcome, TrainTask } from '../train/task'

/** What the main thread asks of an ml worker. Arrays on SharedArrayBuffers are shared, not copied. */
export type Request =
  | { id: number; op: 'train'; task: TrainTask; index: number; count: number }
  /** Logits of rows [lo, hi) of x into the same rows of out (rows · classes). */
  | { id: number; op: 'predict'; spec: ModelSpec; params: Float32Array; x: Float32Array; lo: number; hi: number; out: Float32Array }
  /** A tfjs layers model (model.json and its weight files) as a SpecModel. */
  | { id: number; op: 'import'; path: string }

export interface Results {
  train: TrainOutcome
  predict: null
  import: SpecModel
}

/** An error as it crosses the thread boundary (AppError codes survive). */
export interface WireError {
  name: string
  code?: string
  message: string
  stack?: string
  details?: unknown
}

export type Reply =
  | { type: 'ready'; backend: BackendName }
  | { type: 'event'; id: number; event: TrainEvent }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: WireError }
