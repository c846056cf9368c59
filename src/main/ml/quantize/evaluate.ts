/**
 * Classification figures over predicted labels, and the evaluation of an int8 model against its labels
 * and against the float model it was quantised from.
 */
import { argmaxRows } from '../../../shared/argmax'
import { dequantizeLogits, quantizeInput, runInt8Batch } from '../../../shared/int8/interpreter'
import type { Int8Model } from '../../../shared/int8/model'
import { forwardFloat } from '../../../shared/model/forward'
import type { SpecModel } from '../../../shared/model/spec'

export interface ClassificationReport {
  n: number
  accuracy: number
  /** Per true class: samples, correct predictions, accuracy (NaN for a class with no samples). */
  perClass: Array<{ n: number; correct: number; accuracy: number }>
  /** confusion[true][predicted] counts. */
  confusion: number[][]
}

export function classificationReport(pred: Int32Array, labels: Int32Array, classes: number): ClassificationReport {
  if (pred.length !== labels.length) throw new RangeError(`${pred.length} predictions for ${labels.length} labels`)
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  let correct = 0
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i]
    const p = pred[i]
    if (t < 0 || t >= classes || p < 0 || p >= classes) throw new RangeError(`sample ${i}: label ${t} or prediction ${p} is outside [0, ${classes})`)
    confusion[t][p]++
    if (t === p) correct++
  }
  const perClass = confusion.map((row, c) => {
    const n = row.reduce((a, b) => a + b, 0)
    return { n, correct: row[c], accuracy: n ? row[c] / n : NaN }
  })
  return { n: labels.length, accuracy: labels.length ? correct / labels.length : NaN, perClass, confusion }
}

/** Share of samples on which two predictors choose the same class. */
export function agreement(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) throw new RangeError(`cannot compare ${a.length} and ${b.length} predictions`)
  let same = 0
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++
  return a.length ? same / a.length : NaN
}

/** A float model on x (n * prod(inputShape) floats) against labels y, with the pure-TS forward pass. */
export function evaluateFloat(model: SpecModel, x: Float32Array, y: Int32Array): ClassificationReport {
  return classificationReport(argmaxRows(forwardFloat(model, x), model.spec.classes), y, model.spec.classes)
}

/** An int8 model (float inputs are quantised with its input parameters) against labels y. */
export function evaluateInt8Only(m: Int8Model, x: Float32Array, y: Int32Array): ClassificationReport {
  return classificationReport(argmaxRows(runInt8Batch(m, quantizeInput(m, x)), m.classes), y, m.classes)
}

export interface Int8Evaluation {
  int8: ClassificationReport
  float: ClassificationReport
  /** Share of samples where the int8 and the float model predict the same class. */
  agreement: number
  /** |dequantised int8 logit - float logit|: the largest and the mean over all samples and classes. */
  maxAbsLogitError: number
  meanAbsLogitError: number
  /** The float logits' range over the samples (max - min), to put the errors in proportion. */
  floatLogitRange: number
}

/** Runs both models on x (n * prod(inputShape) floats) and compares them with the labels y and each other. */
export function evaluateInt8(m: Int8Model, float: SpecModel, x: Float32Array, y: Int32Array): Int8Evaluation {
  const q = runInt8Batch(m, quantizeInput(m, x))
  const fl = forwardFloat(float, x)
  const dq = dequantizeLogits(m, q)
  let maxErr = 0
  let sumErr = 0
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < fl.length; i++) {
    const e = Math.abs(dq[i] - fl[i])
    if (e > maxErr) maxErr = e
    sumErr += e
    if (fl[i] < lo) lo = fl[i]
    if (fl[i] > hi) hi = fl[i]
  }
  const pi = argmaxRows(q, m.classes)
  const pf = argmaxRows(fl, m.classes)
  return {
    int8: classificationReport(pi, y, m.classes),
    float: classificationReport(pf, y, m.classes),
    agreement: agreement(pi, pf),
    maxAbsLogitError: maxErr,
    meanAbsLogitError: fl.length ? sumErr / fl.length : NaN,
    floatLogitRange: hi - lo
  }
}
