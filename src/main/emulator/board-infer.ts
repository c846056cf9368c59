import { performance } from 'node:perf_hooks'
import type { MessageValue } from '../../shared/wire/messages'
import type { BoardHost } from './board-host'
import { sampleOf } from './data'
import { argmax } from '../../shared/argmax'


/** Runs the running model on an input the console sent and answers with its output. */
export function infer(b: BoardHost, v: MessageValue<'INFER'>): void {
  const m = b.model
  if (!m) return b.fail(v.rid, 'NO_MODEL', 'no model is running; flash one first')
  if (v.input.length !== m.inputSize) return b.fail(v.rid, 'BAD_REQUEST', `the model takes ${m.inputSize} int8 values, got ${v.input.length}`)
  const t0 = performance.now()
  const scores = m.run(v.input)
  const latencyUs = Math.round((performance.now() - t0) * 1000)
  b.sendMsg('INFER_RESULT', { rid: v.rid, slot: b.running ?? 'none', class: argmax(scores), scores, latencyUs })
}

/** Max of the softmax of real-valued scores. */
function confidence(x: Float32Array): number {
  let max = -Infinity
  for (const s of x) max = Math.max(max, s)
  let sum = 0
  for (const s of x) sum += Math.exp(s - max)
  return 1 / sum
}

/**
 * Runs the running model over one split of the board's own data and answers with aggregates only:
 * counts per true and predicted class, a 10-bin histogram of top-class confidence, and latency.
 */
export function evalPrivate(b: BoardHost, v: MessageValue<'EVAL_PRIVATE'>): void {
  const m = b.model
  const data = b.env.data
  if (!data) return b.fail(v.rid, 'NOT_FOUND', 'this board holds no user data')
  if (!m) return b.fail(v.rid, 'NO_MODEL', 'no model is running; flash one first')
  const split = data[v.split]
  const size = data.inputShape.reduce((a, c) => a * c, 1)
  if (size !== m.inputSize) return b.fail(v.rid, 'BAD_STATE', `the user data has ${size} values per sample, the model takes ${m.inputSize}`)
  const classCounts = new Array<number>(m.classes).fill(0)
  const predCounts = new Array<number>(m.classes).fill(0)
  const confidenceHist = new Array<number>(10).fill(0)
  let correct = 0
  let latSum = 0
  let latMax = 0
  for (let i = 0; i < split.n; i++) {
    const t0 = performance.now()
    const scores = m.run(m.quantize(sampleOf(split, i, size)))
    const us = (performance.now() - t0) * 1000
    latSum += us
    latMax = Math.max(latMax, us)
    const pred = argmax(scores)
    const y = split.y[i]
    if (y >= 0 && y < m.classes) classCounts[y]++
    predCounts[pred]++
    if (pred === y) correct++
    confidenceHist[Math.min(9, Math.floor(confidence(m.dequantizeOutput(scores)) * 10))]++
  }
  b.sendMsg('EVAL_REPORT', {
    rid: v.rid, n: split.n, correct, classCounts, predCounts, confidenceHist,
    latencyMeanUs: split.n ? Math.round(latSum / split.n) : 0, latencyMaxUs: Math.round(latMax)
  })
}
