import { argmax } from '../../../shared/argmax'

/** How many rows' largest logit is at their label. logits: row-major [n, classes]. */
export function countCorrect(logits: Float32Array, labels: Int32Array, classes: number): number {
  let ok = 0
  for (let i = 0; i < labels.length; i++) if (argmax(logits, i * classes, classes) === labels[i]) ok++
  return ok
}
