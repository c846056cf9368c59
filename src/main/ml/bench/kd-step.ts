import type { ModelSpec } from '../../../shared/model/spec'
import { Rng } from '../../../shared/random'
import { initWeights } from '../model/init'
import { flatten, paramLayout } from '../model/layout'
import { freshState, runTraining } from '../train/run'
import type { MlPool } from '../worker/pool'

/** A ReLU MLP, logits out: sizes [in, hidden..., classes]. */
export function mlpSpec(sizes: number[]): ModelSpec {
  return { inputShape: [sizes[0]], classes: sizes[sizes.length - 1], layers: sizes.slice(1).map((units, i) => ({ type: 'dense' as const, units, activation: i < sizes.length - 2 ? ('relu' as const) : ('linear' as const) })) }
}

const dense = (s: number[]) => s.slice(1).reduce((a, u, i) => a + 2 * s[i] * u, 0)

/**
 * FLOPs of one kd step per sample, counted as 2 per multiply-accumulate of the matrix products
 * (elementwise work, softmax and Adam are not counted): the teacher's forward pass; the student's
 * forward pass, its weight gradients (one product per layer) and its input gradients for every layer
 * but the first (nothing needs dL/dx of the data). bench/torch_kd_step.py counts the same way.
 */
export function kdFlopsPerSample(teacher: number[], student: number[]): number {
  return dense(teacher) + 2 * dense(student) + dense(student.slice(1))
}

export interface KdStepFigures {
  samplesPerSecond: number
  gflops: number
  msPerStep: number
  steps: number
  batch: number
  workers: number
  backend: string
  flopsPerSample: number
}

/**
 * The kd.step measurement: distillation steps at `batch` of a teacher (forward only, run inside
 * every step, not cached) into a student trained with Adam, on the pool's workers; random inputs and
 * labels (speed does not depend on them). The figure is the median step time after `warmup` steps.
 * `onStart` is called once the synthetic data and weights exist, right before training starts.
 */
export async function measureKdStep(pool: MlPool, o: { teacher: number[]; student: number[]; batch: number; steps: number; warmup: number; onStart?: () => void }): Promise<KdStepFigures> {
  const teacher = mlpSpec(o.teacher)
  const student = mlpSpec(o.student)
  const rows = o.batch * 8
  const f = o.teacher[0]
  const rng = new Rng(7)
  const sab = (n: number) => new Float32Array(new SharedArrayBuffer(n * 4))
  const x = sab(rows * f)
  for (let i = 0; i < x.length; i++) x[i] = rng.next()
  const y = new Int32Array(new SharedArrayBuffer(rows * 4)).map((_, i) => i % student.classes)
  const w = sab(rows).fill(1)
  const train = new Int32Array(new SharedArrayBuffer(rows * 4)).map((_, i) => i)
  const total = o.steps + o.warmup
  const state = freshState(flatten(paramLayout(student), initWeights(student, 2)))
  const liveTeacher = { spec: teacher, params: flatten(paramLayout(teacher), initWeights(teacher, 1)) }
  o.onStart?.()
  const r = await pool.exclusive(() =>
    runTraining(pool, {
      student,
      data: { x, y, w, teacherLogits: null, train, val: new Int32Array(new SharedArrayBuffer(0)) },
      hyper: { epochs: Math.ceil(total / 8), batchSize: o.batch, lr: 1e-3, schedule: 'constant', beta1: 0.9, beta2: 0.999, eps: 1e-8, alpha: 0.3, tau: 4, mu: 0, seed: 1, maxSteps: total, augment: 'none' },
      patience: 0,
      state,
      liveTeacher
    })
  )
  const times = r.stepMs.slice(o.warmup).sort((a, b) => a - b)
  const ms = times[Math.floor(times.length / 2)]
  const flopsPerSample = kdFlopsPerSample(o.teacher, o.student)
  const sps = (o.batch * 1000) / ms
  return { samplesPerSecond: Math.round(sps), gflops: +((sps * flopsPerSample) / 1e9).toFixed(2), msPerStep: +ms.toFixed(1), steps: times.length, batch: o.batch, workers: pool.size, backend: pool.backend ?? 'unknown', flopsPerSample }
}
