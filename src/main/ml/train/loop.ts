import { dispose, keep, tidy, valueAndGrads, type Scalar, type Tensor, type Tensor2D } from '@tensorflow/tfjs-core'
import { Rng } from '../../../shared/random'
import { forward } from '../model/forward'
import { paramLayout } from '../model/layout'
import { adamUpdate, scheduledLr } from './adam'
import { copyOut, countCorrect, gatherRows, gatherRowsShifted, labelsOf, logitRows, weightTensors } from './batch'
import { denseGradients, isDenseChain } from './dense-grad'
import { distillLoss } from './loss'
import { share } from './share'
import { awaitRelease, barrier } from './sync'
import { EXTRAS, stepsPerEpoch, type TrainEvent, type TrainOutcome, type TrainTask } from './task'

const PROGRESS_MS = 200
const EVAL_BATCH = 256

/** The order of the training rows in epoch `e`: the same in every worker and every resumed run. */
export function epochOrder(train: Int32Array, seed: number, e: number): Int32Array {
  return new Rng(seed).fork(`epoch ${e}`).shuffle(Int32Array.from(train))
}

/**
 * One worker's part of a data-parallel training run. Blocks until the run ends. Per step: each of the
 * `count` workers takes its shard of the batch, computes the gradient of its share of the batch-mean
 * loss into its slot of `parts`; barrier; each updates its range of the parameters with Adam from
 * the summed gradient; barrier. The replicas never diverge because there is only one parameter
 * vector. At each epoch's end the workers validate, worker 0 reports, and all wait for the main
 * thread's release (it snapshots the state and decides whether to go on).
 */
export function runTraining(task: TrainTask, index: number, count: number, emit: (e: TrainEvent) => void): TrainOutcome {
  const { student, data, state, hyper } = task
  const layout = paramLayout(student)
  const P = layout.total
  const slot = P + EXTRAS
  const parts = Array.from({ length: count }, (_, j) => state.parts.subarray(j * slot, j * slot + P))
  const extras = (j: number) => state.parts.subarray(j * slot + P, (j + 1) * slot)
  const mine = state.parts.subarray(index * slot, (index + 1) * slot)
  const [lo, hi] = share(P, index, count)
  /** Parameters below `from` are frozen (head-only adaptation): their gradient is computed but never applied. */
  const from = hyper.trainFrom ?? 0
  const classes = student.classes
  const steps = stepsPerEpoch(data.train.length, hyper.batchSize)
  const teacher = task.liveTeacher ? { spec: task.liveTeacher.spec, w: weightTensors(paramLayout(task.liveTeacher.spec), task.liveTeacher.params) } : null
  const stepMs: number[] = []
  const phaseMs = { gradient: 0, wait: 0, adam: 0, sync: 0 }
  const image = student.inputShape.length === 3
  if (hyper.augment === 'shift' && (!image || data.teacherLogits)) throw new Error('shift augmentation needs image inputs and no cached teacher logits')
  const shift = hyper.augment === 'shift'
  const denseChain = isDenseChain(student)
  let t = task.start.t
  let releases = 0
  let done = 0
  try {
    for (let e = task.start.epoch; e < hyper.epochs; e++) {
      const order = epochOrder(data.train, hyper.seed, e)
      let lossSum = 0
      let correct = 0
      let seen = 0
      let lastProgress = 0
      for (let s = e === task.start.epoch ? task.start.step : 0; s < steps; s++) {
        const t0 = performance.now()
        const batch = order.subarray(s * hyper.batchSize, Math.min(order.length, (s + 1) * hyper.batchSize))
        const [a, b] = share(batch.length, index, count)
        gradient(batch.subarray(a, b), batch.length, mine, P, e)
        const t1 = performance.now()
        if (barrier(state.ctrl, count)) return { reason: 'stopped', epoch: e, step: s, t, stepMs, phaseMs }
        const t2 = performance.now()
        t++
        const lr = scheduledLr(hyper.lr, hyper.schedule, (e * steps + s) / (hyper.epochs * steps))
        if (hi > from) adamUpdate(Math.max(lo, from), hi, parts, state.params, state.m, state.v, t, { lr, beta1: hyper.beta1, beta2: hyper.beta2, eps: hyper.eps, mu: hyper.mu }, state.anchor)
        const t3 = performance.now()
        if (index === 0) {
          for (let j = 0; j < count; j++) {
            const x = extras(j)
            lossSum += x[0]
            correct += x[1]
            seen += x[2]
          }
        }
        barrier(state.ctrl, count)
        done++
        if (index === 0) {
          const t4 = performance.now()
          phaseMs.gradient += t1 - t0
          phaseMs.wait += t2 - t1
          phaseMs.adam += t3 - t2
          phaseMs.sync += t4 - t3
          stepMs.push(t4 - t0)
          const now = performance.now()
          if (now - lastProgress > PROGRESS_MS || s === steps - 1) {
            lastProgress = now
            emit({ type: 'progress', epoch: e, step: s + 1, steps, loss: lossSum / Math.max(1, seen), acc: correct / Math.max(1, seen) })
          }
        }
        if (hyper.maxSteps > 0 && done >= hyper.maxSteps) return { reason: 'finished', epoch: e, step: s + 1, t, stepMs, phaseMs }
      }
      // Validation: each worker its share of the validation rows.
      const [va, vb] = share(data.val.length, index, count)
      const v = evaluate(data.val.subarray(va, vb))
      mine.set([v.loss, v.correct, v.n, 0], P)
      barrier(state.ctrl, count)
      if (index === 0) {
        let vl = 0
        let vc = 0
        let vn = 0
        for (let j = 0; j < count; j++) {
          const x = extras(j)
          vl += x[0]
          vc += x[1]
          vn += x[2]
        }
        emit({ type: 'epoch', epoch: e, trainLoss: lossSum / Math.max(1, seen), trainAcc: correct / Math.max(1, seen), valLoss: vl / Math.max(1, vn), valAcc: vc / Math.max(1, vn), t })
      }
      if (awaitRelease(state.ctrl, ++releases)) return { reason: 'released', epoch: e + 1, step: 0, t, stepMs, phaseMs }
    }
    return { reason: 'finished', epoch: hyper.epochs, step: 0, t, stepMs, phaseMs }
  } finally {
    if (teacher) dispose([...teacher.w.values()])
  }

  /** Writes this worker's partial gradient for `rows` (of a batch of `batchSize`) and its counters into `out`. */
  function gradient(rows: Int32Array, batchSize: number, out: Float32Array, P: number, epoch: number): void {
    if (rows.length === 0) {
      out.fill(0)
      return
    }
    tidy(() => {
      const x = shift ? gatherRowsShifted(data.x, rows, student, hyper.seed, epoch) : gatherRows(data.x, rows, student)
      const { oneHot, weights, labels } = labelsOf(data.y, data.w, rows, classes)
      const tl = teacherLogits(rows, x)
      const w = weightTensors(layout, state.params)
      const names = [...w.keys()]
      const lossOptions = { alpha: tl ? hyper.alpha : 1, tau: hyper.tau, denominator: batchSize }
      let logits: Tensor2D
      let value: Scalar
      let grads: Tensor[]
      if (denseChain) {
        ;({ loss: value, logits, grads } = denseGradients(student, (n) => w.get(n)!, x, oneHot, weights, tl, lossOptions))
      } else {
        let kept: Tensor2D | null = null
        const f = (...ws: Tensor[]): Scalar => {
          const byName = new Map(names.map((n, i) => [n, ws[i]]))
          // kept past valueAndGrads' own scope (the outer tidy still frees it) to count correct answers
          kept = keep(forward(student, (n) => byName.get(n)!, x))
          return distillLoss(kept, oneHot, weights, tl, lossOptions)
        }
        ;({ value, grads } = valueAndGrads(f)([...w.values()]))
        logits = kept!
      }
      for (let i = 0; i < names.length; i++) copyOut(grads[i], out, layout.slots[i].offset)
      const correct = countCorrect(logits.dataSync() as Float32Array, labels, classes)
      out.set([value.dataSync()[0] * batchSize, correct, rows.length, 0], P)
    })
  }

  function teacherLogits(rows: Int32Array, x: Tensor): Tensor2D | null {
    if (teacher) return tidy(() => forward(teacher.spec, (n) => teacher.w.get(n)!, x))
    return data.teacherLogits ? logitRows(data.teacherLogits, rows, classes) : null
  }

  /** Loss sum and correct count over `rows`, with the current parameters. */
  function evaluate(rows: Int32Array): { loss: number; correct: number; n: number } {
    let loss = 0
    let correct = 0
    const w = weightTensors(layout, state.params)
    try {
      for (let i = 0; i < rows.length; i += EVAL_BATCH) {
        const r = rows.subarray(i, i + EVAL_BATCH)
        tidy(() => {
          const x = gatherRows(data.x, r, student)
          const { oneHot, weights, labels } = labelsOf(data.y, data.w, r, classes)
          const tl = teacherLogits(r, x)
          const logits = forward(student, (n) => w.get(n)!, x)
          loss += distillLoss(logits, oneHot, weights, tl, { alpha: tl ? hyper.alpha : 1, tau: hyper.tau, denominator: 1 }).dataSync()[0]
          correct += countCorrect(logits.dataSync() as Float32Array, labels, classes)
        })
      }
    } finally {
      dispose([...w.values()])
    }
    return { loss, correct, n: rows.length }
  }
}
