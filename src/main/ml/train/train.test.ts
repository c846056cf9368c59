import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../core/errors'
import { fit, type FitOptions } from '../fit'
import { mlpSpec } from '../bench/kd-step'
import { argmaxRows as argmaxAll } from '../../../shared/argmax'
import { scoreLabels } from '../eval'
import { predictLogits } from '../predict'
import { mnistDigits } from '../testing/mnist'
import { MlPool } from '../worker/pool'
import { flatten, paramLayout } from '../model/layout'
import { loadCheckpoint } from './checkpoint'

/**
 * The training engine on real worker threads (2, data parallel) and the mnist digits: a small MLP
 * learns; the teacher's soft labels are used; a cancelled run resumes from its checkpoint and ends
 * exactly where an uninterrupted run ends.
 */
const pool = new MlPool(2)
afterAll(() => pool.dispose())
const d = mnistDigits(2000, 500)
const spec = mlpSpec([784, 32, 10])
const base = (o: Partial<FitOptions> = {}): FitOptions => ({
  spec: { ...spec, inputShape: [28, 28, 1], layers: [{ type: 'flatten' }, ...spec.layers] },
  train: d.train,
  dataName: 'digits',
  teacher: null,
  hyper: { epochs: 3, batchSize: 32, lr: 3e-3, schedule: 'cosine', beta1: 0.9, beta2: 0.999, eps: 1e-8, alpha: 1, tau: 4, mu: 0, seed: 3, maxSteps: 0, augment: 'none' },
  valFraction: 0.1,
  patience: 0,
  ...o
})
const accuracy = async (m: Awaited<ReturnType<typeof fit>>['model']) => scoreLabels(argmaxAll(await predictLogits(pool, m, d.test.x, d.test.n), 10), d.test.y, 10).accuracy

describe('training on worker threads', () => {
  it('learns the digits, reports every epoch, and keeps the best weights', async () => {
    const epochs: number[] = []
    const r = await pool.exclusive(() => fit(pool, base({ onEpoch: (m) => epochs.push(m.epoch) })))
    expect(epochs).toEqual([0, 1, 2])
    expect(r.history).toHaveLength(3)
    expect(r.history[2].trainLoss).toBeLessThan(r.history[0].trainLoss)
    expect(await pool.exclusive(() => accuracy(r.model))).toBeGreaterThan(0.85)
  })

  it('distils: with alpha 0 the student learns from the teacher’s logits alone', async () => {
    const teacher = (await pool.exclusive(() => fit(pool, base()))).model
    // Labels scrambled: only the teacher can teach the right classes now.
    const y = d.train.y.map((v) => (v + 1) % 10)
    const r = await pool.exclusive(() => fit(pool, base({ train: { ...d.train, y }, teacher, hyper: { ...base().hyper, alpha: 0, seed: 9 } })))
    expect(await pool.exclusive(() => accuracy(r.model))).toBeGreaterThan(0.8)
  })

  it('starts from given weights (warm start) and stays near an anchor when the proximal weight is large', async () => {
    const trained = (await pool.exclusive(() => fit(pool, base()))).model
    const still = { ...base().hyper, epochs: 1, lr: 1e-6 }
    const warm = await pool.exclusive(() => fit(pool, base({ init: trained.weights, hyper: still })))
    const cold = await pool.exclusive(() => fit(pool, base({ hyper: still })))
    expect(await pool.exclusive(() => accuracy(warm.model))).toBeGreaterThan(0.85)
    expect(await pool.exclusive(() => accuracy(cold.model))).toBeLessThan(0.5)
    // Moving on from the trained weights with a high learning rate: the anchor keeps them close.
    const layout = paramLayout(trained.spec)
    const a = flatten(layout, trained.weights)
    const drift = async (mu: number) => {
      const r = await pool.exclusive(() => fit(pool, base({ init: trained.weights, anchor: trained.weights, hyper: { ...base().hyper, epochs: 1, lr: 1e-2, mu } })))
      const b = flatten(layout, r.model.weights)
      return Math.sqrt(a.reduce((acc, v, i) => acc + (v - b[i]) ** 2, 0))
    }
    const free = await drift(0)
    const held = await drift(50)
    expect(held).toBeLessThan(free / 2)
  })

  it('learns from soft targets given directly (logits, no teacher model)', async () => {
    const targets = new Float32Array(d.train.n * 10)
    // The right class 4 logits above the rest: soft labels that carry the truth.
    for (let i = 0; i < d.train.n; i++) targets[i * 10 + d.train.y[i]] = 4
    const y = d.train.y.map((v) => (v + 3) % 10)
    const r = await pool.exclusive(() => fit(pool, base({ train: { ...d.train, y }, targetLogits: targets, hyper: { ...base().hyper, alpha: 0 } })))
    expect(await pool.exclusive(() => accuracy(r.model))).toBeGreaterThan(0.8)
    await expect(pool.exclusive(() => fit(pool, base({ targetLogits: targets.subarray(10) })))).rejects.toThrow(/target logits for 2000 samples/)
  })

  it('a cancelled run resumes from its checkpoint and ends with the same weights as an uninterrupted one', async () => {
    const straight = await pool.exclusive(() => fit(pool, base()))
    const workDir = mkdtempSync(join(tmpdir(), 'diredi-fit-'))
    const abort = new AbortController()
    let seen = 0
    const first = pool.exclusive(() => fit(pool, base({ workDir, fingerprint: 'f', signal: abort.signal, onProgress: (p) => p.step > 5 && seen++ === 0 && abort.abort() })))
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' })
    // Where it stopped depends on how soon the cancel reached the workers; any point inside the run will do.
    const ck = await loadCheckpoint(workDir)
    const { epoch, step } = ck!.state.position
    const steps = Math.ceil(1800 / 32)
    expect(epoch * steps + step).toBeGreaterThan(5)
    expect(epoch).toBeLessThan(3)
    const lines: string[] = []
    const resumed = await pool.exclusive(() => fit(pool, base({ workDir, fingerprint: 'f', resume: true, log: (l) => lines.push(l) })))
    expect(lines.join('\n')).toContain(`resuming at epoch ${epoch + 1}, step ${step}`)
    const a = flatten(paramLayout(straight.model.spec), straight.model.weights)
    const b = flatten(paramLayout(resumed.model.spec), resumed.model.weights)
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true)
    expect(resumed.history.map((h) => h.epoch)).toEqual([0, 1, 2])
  })

  it('a checkpoint of other settings is not continued', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'diredi-fit-'))
    await pool.exclusive(() => fit(pool, base({ workDir, fingerprint: 'a', hyper: { ...base().hyper, epochs: 1 } })))
    const lines: string[] = []
    await pool.exclusive(() => fit(pool, base({ workDir, fingerprint: 'b', resume: true, hyper: { ...base().hyper, epochs: 1 }, log: (l) => lines.push(l) })))
    expect(lines.join('\n')).toMatch(/other settings; starting afresh/)
  })

  it('trains on the CPU backend too when it is forced (DIREDI_BACKEND=cpu)', async () => {
    const before = process.env.DIREDI_BACKEND
    process.env.DIREDI_BACKEND = 'cpu'
    const cpu = new MlPool(2)
    try {
      const small = mnistDigits(600, 100)
      const r = await cpu.exclusive(() => fit(cpu, base({ train: small.train, hyper: { ...base().hyper, epochs: 1 } })))
      expect(cpu.backend).toBe('cpu')
      expect(r.history).toHaveLength(1)
    } finally {
      if (before === undefined) delete process.env.DIREDI_BACKEND
      else process.env.DIREDI_BACKEND = before
      await cpu.dispose()
    }
  })

  it('refuses bad data and settings with clear errors', async () => {
    const bad = (o: Partial<FitOptions>) => pool.exclusive(() => fit(pool, base(o)))
    await expect(bad({ train: { ...d.train, y: d.train.y.map((v, i) => (i === 7 ? 10 : v)) } })).rejects.toThrow(/sample 7 has label 10, outside 0..9/)
    await expect(bad({ train: { ...d.train, n: d.train.n + 1 } })).rejects.toMatchObject({ code: 'DATASET_INVALID' })
    await expect(bad({ valFraction: 0.9 })).rejects.toThrow(/valFraction/)
    await expect(bad({ classWeights: [1, 2] })).rejects.toThrow(/2 class weights for 10 classes/)
    const teacher = { spec: mlpSpec([10, 4, 3]), weights: { tensors: [] } }
    await expect(bad({ teacher })).rejects.toBeInstanceOf(AppError)
  })
})
