import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JobInfo } from '../../shared/api/jobs'
import type { DistillResult, TeacherTrainResult } from '../../shared/api/ml'
import type { ModelSpec } from '../../shared/model/spec'
import { createApp, type App } from '../app/app'
import { mlpSpec } from './bench/kd-step'
import { argmaxRows as argmaxAll } from '../../shared/argmax'
import { scoreLabels } from './eval'
import { initWeights } from './model/init'
import { predictLogits } from './predict'

/**
 * The ml API as the UI and the CLI reach it: through the router of a real app (real registry on disk,
 * real jobs, real worker threads), on a 1,000-sample slice of the built-in digits.
 */
let app: App
const call = (m: string, p: unknown) => app.router.call(m, p, { via: 'test' })
const flatMlp = (hidden: number): ModelSpec => ({ ...mlpSpec([784, hidden, 10]), inputShape: [28, 28, 1], layers: [{ type: 'flatten' }, ...mlpSpec([784, hidden, 10]).layers] })

async function waitJob(id: string): Promise<JobInfo> {
  return app.services.jobs.wait(id)
}

beforeAll(async () => {
  app = await createApp({ dataDir: mkdtempSync(join(tmpdir(), 'diredi-ml-')), host: 'cli' })
  const reg = app.services.registry
  const full = await reg.datasets.load('mnist')
  const cut = (s: { x: Float32Array; y: Int32Array }, n: number) => ({ x: s.x.slice(0, n * 784), y: s.y.slice(0, n), n })
  await reg.datasets.put({ name: 'digits1k', format: 'derived', inputShape: [28, 28, 1], classNames: full.record.classNames, train: cut(full.train, 1000), test: cut(full.test, 300), source: ['mnist'] })
  await reg.models.put('teacher', { spec: flatMlp(24), weights: initWeights(flatMlp(24), 1) }, { name: 'random-teacher', lineage: {} })
  await reg.models.put('teacher', { spec: mlpSpec([784, 8, 10]), weights: initWeights(mlpSpec([784, 8, 10]), 1) }, { name: 'flat-teacher', lineage: {} })
})
afterAll(async () => {
  await app.dispose()
  expect(app.services.ml.pool.alive).toBe(0)
})

describe('ml API', () => {
  it('refuses bad params with BAD_REQUEST naming the field, before any job starts', async () => {
    const bad = [
      ['distill.start', { teacher: 'random-teacher', dataset: 'digits1k', budgetKb: -1 }, /budgetKb/],
      ['distill.start', { teacher: 'random-teacher', dataset: 'digits1k', budgetKb: 8, family: 'huge' }, /family/],
      ['distill.start', { teacher: 'random-teacher', dataset: 'digits1k', budgetKb: 8, alpha: 2 }, /alpha/],
      ['distill.start', { dataset: 'digits1k', budgetKb: 8 }, /teacher/],
      ['teacher.train', { dataset: 'digits1k', epochs: 0 }, /epochs/],
      ['teacher.train', { dataset: 'digits1k', lr: 'fast' }, /lr/],
      ['models.evaluate', { model: 'x', dataset: 'digits1k', split: 'validation' }, /split/]
    ] as const
    for (const [m, p, field] of bad) {
      const r = await call(m, p)
      expect(r, `${m} ${JSON.stringify(p)}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(field) } })
    }
    expect(app.services.jobs.list()).toHaveLength(0)
  })

  it('refuses what cannot work with a coded error, and starts no job', async () => {
    expect(await call('teacher.train', { dataset: 'no-such-data' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await call('distill.start', { teacher: 'flat-teacher', dataset: 'digits1k', budgetKb: 8 })).toMatchObject({ ok: false, error: { code: 'MODEL_INVALID', message: expect.stringMatching(/takes inputs \[784\].*dataset digits1k has \[28,28,1\]/) } })
    const unfit = await call('distill.start', { teacher: 'random-teacher', dataset: 'digits1k', budgetKb: 0.1 })
    expect(unfit).toMatchObject({ ok: false, error: { code: 'BUDGET_UNFITTABLE', message: expect.stringMatching(/smallest needs 0\.\d+ KB of weights/) } })
    expect(await call('distill.plan', { dataset: 'digits1k', budgetKb: 32, ramKb: 0.5 })).toMatchObject({ ok: false, error: { code: 'BUDGET_UNFITTABLE', message: expect.stringMatching(/KB of RAM/) } })
    expect(await call('distill.start', { teacher: 'random-teacher', dataset: 'digits1k', budgetKb: 8, classWeights: [1, 2, 3] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/classWeights has 3 values; .* 10 classes/) } })
    expect(await call('teacher.import', { path: '/nonexistent/model.json' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    // A warm start that does not fit the budget, an anchor of another architecture.
    expect(await call('distill.start', { teacher: 'random-teacher', dataset: 'digits1k', budgetKb: 8, warmStart: 'random-teacher' })).toMatchObject({ ok: false, error: { code: 'BUDGET_UNFITTABLE', message: expect.stringMatching(/warm-start model random-teacher needs 18\.\d+ KB/) } })
    expect(await call('distill.start', { teacher: 'random-teacher', dataset: 'digits1k', budgetKb: 32, family: 'dense', anchor: { model: 'random-teacher', mu: 1 } })).toMatchObject({ ok: false, error: { code: 'MODEL_INVALID', message: expect.stringMatching(/anchor model random-teacher has another architecture/) } })
    expect(await call('distill.start', { teacher: 'random-teacher', dataset: 'digits1k', budgetKb: 8, sampleWeights: [1, 2] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/sampleWeights has 2 values; .* 1000 training samples/) } })
    expect(app.services.jobs.list()).toHaveLength(0)
  })

  it('plans a student within the budget', async () => {
    const r = await call('distill.plan', { dataset: 'digits1k', budgetKb: 32, ramKb: 16 })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const plan = r.value as { footprint: { weightBytes: number; ramBytes: number }; family: string }
    expect(plan.footprint.weightBytes).toBeLessThanOrEqual(32 * 1024)
    expect(plan.footprint.ramBytes).toBeLessThanOrEqual(16 * 1024)
  })

  it('trains a teacher and distils a student as jobs, recording lineage and metrics', async () => {
    const t = await call('teacher.train', { dataset: 'digits1k', epochs: 1, name: 't1' })
    expect(t.ok).toBe(true)
    const tj = await waitJob((t as { value: JobInfo }).value.id)
    expect(tj.state).toBe('succeeded')
    const tr = tj.result as TeacherTrainResult
    expect(tr.model.kind).toBe('teacher')
    expect(tr.testAccuracy).toBeGreaterThan(0.5)
    const s = await call('distill.start', { teacher: 't1', dataset: 'digits1k', budgetKb: 4, family: 'dense', epochs: 2, name: 's1' })
    const sj = await waitJob((s as { value: JobInfo }).value.id)
    expect(sj.state).toBe('succeeded')
    const sr = sj.result as DistillResult
    expect(sr.plan.footprint.weightBytes).toBeLessThanOrEqual(4 * 1024)
    const rec = await app.services.registry.models.get('s1')
    expect(rec.lineage).toMatchObject({ teacherId: tr.model.id, jobId: sj.id })
    expect(rec.metrics.testAcc).toBeCloseTo(sr.testAccuracy, 10)
    expect((await app.services.jobs.log(sj.id)).map((l) => l.message).join('\n')).toMatch(/epoch 2\/2/)
  })

  it('evaluates a model: accuracy, per-class, confusion and agreement, as computed directly', async () => {
    const r = await call('models.evaluate', { model: 'random-teacher', dataset: 'digits1k', reference: 'random-teacher' })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const ev = r.value as { n: number; accuracy: number; confusion: number[][]; perClass: Array<{ n: number }>; agreement: { rate: number } }
    const ds = await app.services.registry.datasets.load('digits1k')
    const model = await app.services.registry.models.load('random-teacher')
    const pool = app.services.ml.pool
    const direct = scoreLabels(argmaxAll(await pool.exclusive(() => predictLogits(pool, model, ds.test.x, ds.test.n)), 10), ds.test.y, 10)
    expect(ev.n).toBe(300)
    expect(ev.accuracy).toBe(direct.accuracy)
    expect(ev.confusion).toEqual(direct.confusion)
    expect(ev.perClass.reduce((a, c) => a + c.n, 0)).toBe(300)
    expect(ev.agreement.rate).toBe(1)
  })
})
