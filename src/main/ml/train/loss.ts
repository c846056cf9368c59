import { add, div, logSoftmax, mul, neg, softmax, sub, sum, type Scalar, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs-core'

export interface LossOptions {
  /** Weight of the hard-label cross-entropy; 1 - alpha goes to the teacher's soft labels. */
  alpha: number
  /** Softmax temperature of the soft labels (> 0). */
  tau: number
  /**
   * What the weighted per-sample sum is divided by. Data-parallel workers each hold a shard of one
   * batch and all divide by the whole batch's size, so the shards' gradients add up to the gradient of
   * the batch mean.
   */
  denominator: number
}

/**
 * The distillation loss of docs/method.md §1 over the rows given, divided by `denominator`:
 *   Σ_i w_i · [ alpha · CE(S(x_i), y_i) + (1 - alpha) · tau² · KL( softmax(T(x_i)/tau) || softmax(S(x_i)/tau) ) ]
 * student, teacher: logits [n, C]; oneHot: the labels y as one-hot rows [n, C]; weights [n]: each
 * sample's weight times the weight of its class. With no teacher (or alpha = 1) only the weighted
 * cross-entropy remains, which is how teachers are trained.
 */
export function distillLoss(student: Tensor2D, oneHot: Tensor2D, weights: Tensor1D, teacher: Tensor2D | null, o: LossOptions): Scalar {
  const ce = neg(sum(mul(oneHot, logSoftmax(student)), 1))
  let perSample = ce
  if (teacher && o.alpha < 1) {
    const tt = div(teacher, o.tau)
    const kl = sum(mul(softmax(tt), sub(logSoftmax(tt), logSoftmax(div(student, o.tau)))), 1)
    perSample = add(mul(ce, o.alpha), mul(kl, (1 - o.alpha) * o.tau * o.tau))
  }
  return div(sum(mul(perSample, weights)), o.denominator)
}
