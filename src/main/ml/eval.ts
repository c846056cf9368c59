import { agreement, classificationReport } from './quantize/evaluate'

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

/**
 * Scores predicted labels. Works for any model that yields labels: float models through
 * `argmaxRows(logits)` (src/shared/argmax.ts), int8 artifacts through the reference interpreter's outputs.
 */
export function scoreLabels(predicted: Int32Array, truth: Int32Array, classes: number, reference?: Int32Array | null): LabelScores {
  if (reference && reference.length !== truth.length) throw new Error(`${reference.length} reference predictions for ${truth.length} labels`)
  const r = classificationReport(predicted, truth, classes)
  const n = r.n
  return {
    n,
    accuracy: n ? r.accuracy : 0,
    perClass: r.perClass.map((c) => ({ n: c.n, accuracy: c.n ? c.accuracy : null })),
    confusion: r.confusion,
    agreement: reference ? (n ? agreement(predicted, reference) : 0) : null
  }
}
