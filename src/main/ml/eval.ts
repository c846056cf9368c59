import { argmaxRow } from './train/argmax'

/** What a model's predictions score against the truth, per class and overall. */
export interface LabelScores {
  n: number
  accuracy: number
  /** Per class: samples of that class, and the share predicted right (null when the class has none). */
  perClass: Array<{ n: number; accuracy: number | null }>
  /** confusion[true][predicted] counts. */
  confusion: number[][]
  /** Share of samples on which the predictions equal the reference's (e.g. the teacher's), or null. */
  agreement: number | null
}

/** The predicted class of each row of logits (rows · classes). */
export function argmaxAll(logits: Float32Array, classes: number): Int32Array {
  const n = logits.length / classes
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = argmaxRow(logits, i, classes)
  return out
}

/**
 * Scores predicted labels. Works for any model that yields labels: float models through
 * `argmaxAll(logits)`, int8 artifacts through the reference interpreter's outputs.
 */
export function scoreLabels(predicted: Int32Array, truth: Int32Array, classes: number, reference?: Int32Array | null): LabelScores {
  if (predicted.length !== truth.length) throw new Error(`${predicted.length} predictions for ${truth.length} labels`)
  if (reference && reference.length !== truth.length) throw new Error(`${reference.length} reference predictions for ${truth.length} labels`)
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  let right = 0
  let agree = 0
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]
    const p = predicted[i]
    if (t < 0 || t >= classes || p < 0 || p >= classes) throw new Error(`label ${t} or prediction ${p} of sample ${i} is outside 0..${classes - 1}`)
    confusion[t][p]++
    if (t === p) right++
    if (reference && reference[i] === p) agree++
  }
  const n = truth.length
  const perClass = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0)
    return { n: total, accuracy: total ? row[c] / total : null }
  })
  return { n, accuracy: n ? right / n : 0, perClass, confusion, agreement: reference ? (n ? agree / n : 0) : null }
}
