import type { KnowledgeTensor } from '../../shared/wire/knowledge'
import type { PrivateData } from './data'
import type { LoadedModel } from './runtime'

/** One on-board adaptation job (docs/method.md §3), as the firmware hands it to its Adapter. */
export interface AdaptRequest {
  /** The artifact of the running (dispatched) model S_r, and the model loaded from it. */
  artifact: Uint8Array
  model: LoadedModel
  layers: 'head' | 'all' | 'tutor'
  /** The tutor form (layers 'tutor'): the teacher's int8 artifact, staged in the board's other slot. */
  tutor?: { artifact: Uint8Array }
  epochs: number
  lr: number
  /** Proximal anchor weight mu: the loss adds mu/2 * ||theta - theta_r||^2. */
  mu: number
  seed: number
  /** The board's own data; the adapter reads it here, on the board, and returns parameters only. */
  data: PrivateData
  signal: AbortSignal
  /** Reports one finished epoch with its mean training loss. */
  progress(epoch: number, loss: number): void
}

export interface AdaptResult {
  /** theta_b - theta_r for the adapted layers, named as in spec.ts (`${layer}/kernel`, `${layer}/bias`). */
  tensors: KnowledgeTensor[]
  /** Accuracy of S_r and of S_b on data.test. */
  accBefore: number
  accAfter: number
}

/**
 * The on-board learning algorithm. The firmware owns the protocol around it (start, progress, clip and
 * noise, signing, chunked upload); the algorithm itself is pluggable (issue #6 provides the real one).
 */
export interface Adapter {
  adapt(req: AdaptRequest): Promise<AdaptResult>
}
