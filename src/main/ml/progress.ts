import type { JobContext } from '../core/jobs'
import type { EpochMetrics } from './train/run'

/**
 * Turns training events into job progress: fraction of all steps done, latest loss and accuracy,
 * validation figures per epoch, and an ETA from the rate since this run (or resume) began.
 */
export function jobReporter(ctx: JobContext, epochs: number) {
  const t0 = performance.now()
  let first: number | null = null
  return {
    onProgress(p: { epoch: number; step: number; steps: number; loss: number; acc: number }) {
      const total = epochs * p.steps
      const done = p.epoch * p.steps + p.step
      first ??= done - 1
      const rate = (done - first) / Math.max(1e-3, (performance.now() - t0) / 1000)
      const eta = rate > 0 ? (total - done) / rate : null
      ctx.progress(done / total, { epoch: p.epoch + 1, epochs, step: p.step, steps: p.steps, loss: p.loss, acc: p.acc }, eta === null ? null : Math.round(eta))
    },
    onEpoch(m: EpochMetrics) {
      ctx.progress((m.epoch + 1) / epochs, { valLoss: m.valLoss, valAcc: m.valAcc, trainLoss: m.trainLoss, trainAcc: m.trainAcc })
      ctx.log(`epoch ${m.epoch + 1}/${epochs}: loss ${m.trainLoss.toFixed(4)}, accuracy ${(m.trainAcc * 100).toFixed(2)}%; validation loss ${m.valLoss.toFixed(4)}, accuracy ${(m.valAcc * 100).toFixed(2)}%`)
    },
    seconds: () => (performance.now() - t0) / 1000
  }
}
