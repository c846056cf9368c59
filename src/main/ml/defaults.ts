import type { TrainHyper } from './train/task'

/** Training settings when a request leaves them out (measured on the mnist digits, 8,000/2,000). */
export const TEACHER_DEFAULTS = { epochs: 15, batchSize: 64, lr: 1e-3, seed: 1, valFraction: 0.1, patience: 4 }
export const DISTILL_DEFAULTS = { epochs: 20, batchSize: 64, lr: 2e-3, seed: 1, valFraction: 0.1, patience: 4, alpha: 0.3, tau: 4 }

export function hyperFrom(o: { epochs: number; batchSize: number; lr: number; seed: number; alpha?: number; tau?: number; mu?: number; augment?: boolean }): TrainHyper {
  return {
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    schedule: 'cosine',
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    alpha: o.alpha ?? 1,
    tau: o.tau ?? 4,
    mu: o.mu ?? 0,
    seed: o.seed,
    maxSteps: 0,
    augment: o.augment ? 'shift' : 'none'
  }
}
