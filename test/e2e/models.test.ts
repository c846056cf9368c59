/**
 * The Models section in a real browser against `diredi serve` on a fresh data dir: import the built-in
 * digits from the UI, see a coded import error, open the dataset; then teachers, a student and an int8
 * artifact written into the same registry by another process (as a training run would leave them; main
 * has no training command yet) appear after Refresh, with lineage, versions, confusion and budgets.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshotPath } from '../helpers/browser'
import { servedConsole } from '../helpers/console-page'
import { openRegistry } from '../../src/main/store/registry'
import { inferShapes, weightName, type ModelSpec, type SpecModel } from '../../src/shared/model/spec'

const c = servedConsole('models')
const dataDir = c.dataDir

/** A model with deterministic weights (scaled by k, so versions differ in content and so in id). */
function specModel(spec: ModelSpec, k: number): SpecModel {
  const tensors = inferShapes(spec).weights.flatMap((shapes, i) =>
    shapes.map((shape, j) => {
      const n = shape.reduce((a, b) => a * b, 1)
      return { name: weightName(i, j === 0 ? 'kernel' : 'bias'), shape, data: Float32Array.from({ length: n }, (_, x) => Math.sin(x * k) * 0.05) }
    })
  )
  return { spec, weights: { tensors } }
}

const conv: ModelSpec = {
  inputShape: [28, 28, 1],
  classes: 10,
  layers: [
    { type: 'conv2d', filters: 8, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' },
    { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'valid' },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'linear' }
  ]
}
const dense: ModelSpec = { inputShape: [28, 28, 1], classes: 10, layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'linear' }] }

/** A confusion matrix of 200 samples per class with a few mistakes into the next class. */
const confusion = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (p === t ? 200 - 2 * t : p === (t + 1) % 10 ? 2 * t : 0)))

/** What a training run, a reverse-distillation round, a distillation and a quantisation leave in the registry. */
async function seedModels(datasetId: string) {
  const reg = await openRegistry(dataDir)
  const history = [1, 2, 3].map((epoch) => ({ epoch, trainLoss: 1 / epoch, valLoss: 1.1 / epoch, trainAcc: 1 - 0.1 / epoch, valAcc: 1 - 0.12 / epoch }))
  const t1 = await reg.models.put('teacher', specModel(conv, 1), { name: 'teacher-mnist', lineage: { datasetId, jobId: 'job-teacher' }, metrics: { testAcc: 0.97, epochs: 3 }, meta: { history } })
  const t2 = await reg.models.put('teacher', specModel(conv, 2), {
    name: 'teacher-mnist-r1',
    lineage: { datasetId, parentId: t1.id, knowledge: ['k-VB-0001-r1', 'k-VB-0002-r1'] },
    metrics: { testAcc: 0.975 },
    meta: { confusion }
  })
  const s = await reg.models.put('student', specModel(dense, 3), {
    name: 'student-16kb-mnist',
    lineage: { datasetId, teacherId: t2.id, jobId: 'job-distill' },
    metrics: { testAcc: 0.91, teacherAgreement: 0.93 },
    meta: { budget: { weightsKb: 16, ramKb: null }, architecture: 'dense-10', confusion, history }
  })
  const bytes = Uint8Array.from({ length: 8200 }, (_, i) => (i * 31) & 255)
  const a = await reg.artifacts.put(bytes, { modelId: s.id, formatVersion: 1, metrics: { int8Acc: 0.905, floatAcc: 0.91, agreement: 0.987 } })
  return { t1, t2, s, a }
}

/** No layout break: nothing wider than the window (evaluated in the page; this file has no DOM types). */
const noHorizontalScroll = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')

describe('models section', () => {
  it('imports the built-in digits from the UI, shows a coded error, then models with lineage, versions, confusion and budgets', async () => {
    const page = await c.browser.newPage({ viewport: { width: 1280, height: 720 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(c.server.url)
    await page.getByTestId('nav-models').click()
    await page.getByText('No datasets yet').waitFor()

    // the built-in digits, imported through the form (format "built-in" is the default)
    await page.getByTestId('import-submit').click()
    await page.getByTestId('import-result').waitFor()
    expect(await page.getByTestId('import-result').textContent()).toMatch(/Imported\s+mnist\s+\(8,000 train \/ 2,000 test\)/)
    const row = page.locator('[data-dataset=mnist]')
    expect(await row.getByTestId('splits').textContent()).toBe('8,000 / 2,000')
    expect(await row.locator('[role=img]').getAttribute('aria-label')).toMatch(/^train samples per class: 0 \d+, 1 \d+/)
    await page.screenshot({ path: screenshotPath('models-datasets.png'), fullPage: true })

    // files that are not there: the console's coded error, shown as an alert
    await page.getByTestId('import-format').selectOption('idx')
    await page.getByTestId('import-name').fill('missing')
    await page.getByTestId('import-files').fill('/nonexistent/train-images.idx\n/nonexistent/train-labels.idx')
    await page.getByTestId('import-submit').click()
    await page.getByTestId('import-error').waitFor()
    expect(await page.getByTestId('import-error').textContent()).toMatch(/NOT_FOUND: \/nonexistent\/train-images\.idx/)
    await page.screenshot({ path: screenshotPath('models-import-error.png') })

    // the dataset page, reached by keyboard
    await row.getByRole('link', { name: 'mnist' }).focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('dataset-splits').waitFor()
    expect(await page.getByTestId('dataset-splits').textContent()).toBe('8,000 train / 2,000 test')
    await page.getByTestId('verify').click()
    expect(await page.getByTestId('verify-result').textContent()).toBe('content matches its hash')
    const datasetId = (await page.locator('#dataset-title + code').textContent()) ?? ''
    expect(datasetId).toMatch(/^ds-[0-9a-f]{12}$/)
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.screenshot({ path: screenshotPath('models-dataset.png'), fullPage: true })

    // models written by another process show after Refresh
    const seeded = await seedModels(datasetId)
    await page.getByTestId('models-refresh').click()
    await page.getByTestId('tab-teachers').focus()
    await page.keyboard.press('Enter')
    const line = page.getByTestId('teacher-line')
    await line.waitFor()
    expect(await line.count()).toBe(1)
    expect(await line.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')))).toEqual([seeded.t2.id, seeded.t1.id])
    expect(await line.locator('tbody tr').first().textContent()).toContain('2 from boards')
    await page.screenshot({ path: screenshotPath('models-teachers.png'), fullPage: true })

    // the student page: lineage dataset -> teacher -> student -> artifact, architecture, confusion, per class
    await page.getByTestId('tab-students').click()
    await page.getByRole('link', { name: 'student-16kb-mnist' }).click()
    await page.getByTestId('lineage').waitFor()
    expect(await page.getByTestId('lineage').locator('li').allTextContents()).toEqual(['datasetmnist', 'teacherteacher-mnist-r1', 'studentstudent-16kb-mnist', `artifact${seeded.a.id} (8.0 KB)`])
    expect(await page.getByTestId('architecture').locator('tbody tr').count()).toBe(3)
    expect(await page.getByTestId('model-params').textContent()).toBe('7,850')
    await page.getByTestId('confusion').locator('canvas').first().waitFor()
    expect(await page.getByTestId('per-class').locator('figure').getAttribute('aria-label')).toMatch(/^accuracy per class of student-16kb-mnist: 0 100\.0%, 1 99\.0%/)
    expect(await page.getByTestId('artifacts-table').locator('[role=list], ul').first().getAttribute('aria-label')).toBe('8.0 KB against board budgets')
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.screenshot({ path: screenshotPath('models-student.png'), fullPage: true })

    // the teacher's version list, newest first, from its page; dark theme
    await page.getByTestId('lineage').getByRole('link', { name: 'teacher-mnist-r1' }).click()
    await page.getByTestId('versions').waitFor()
    expect(await page.getByTestId('versions').locator('li').allTextContents()).toEqual([expect.stringContaining('v2 teacher-mnist-r1 (this one)'), expect.stringContaining('v1 teacher-mnist')])
    await page.getByTestId('theme-toggle').click()
    await page.getByTestId('theme-toggle').click()
    await page.getByTestId('confusion').locator('canvas').first().waitFor()
    await page.screenshot({ path: screenshotPath('models-teacher-dark.png'), fullPage: true })

    // artifacts: size against budgets, int8 vs float
    await page.getByTestId('tab-artifacts').click()
    const art = page.locator(`[data-artifact="${seeded.a.id}"]`)
    await art.waitFor()
    expect(await art.getByTestId('artifact-size').textContent()).toBe('8.0 KB')
    expect(await art.textContent()).toMatch(/90\.50%.*91\.00%.*98\.70%/)
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.screenshot({ path: screenshotPath('models-artifacts.png'), fullPage: true })

    expect(errors).toEqual([])
    await page.close()
  })
})
