import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { ModelSpec } from '../src/shared/model/spec'
import { packageRoot } from '../src/main/core/entries'
import { initBackend } from '../src/main/ml/backend'
import { initWeights } from '../src/main/ml/model/init'
import { toLayersModel } from '../src/main/ml/model/layers'
import { saveLayersFiles } from '../src/main/ml/testing/layers-files'

const run = promisify(execFile)
const root = mkdtempSync(join(tmpdir(), 'diredi-ml-cli-'))
const dataDir = join(root, 'data')
let modelJson = ''
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Runs `diredi --data-dir <tmp> ...args` from source; resolves exit code, stdout, stderr. */
async function diredi(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const loader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  try {
    const r = await run(process.execPath, ['--import', loader, join(packageRoot, 'src/main/cli/main.ts'), '--data-dir', dataDir, ...args], { cwd: root })
    return { code: 0, out: r.stdout, err: r.stderr }
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string }
    return { code: x.code, out: x.stdout, err: x.stderr }
  }
}
const json = (s: string) => {
  const lines = s.trim().split('\n')
  expect(lines).toHaveLength(1)
  return JSON.parse(lines[0]) as Record<string, unknown>
}

beforeAll(async () => {
  await initBackend()
  const spec: ModelSpec = {
    inputShape: [28, 28, 1],
    classes: 10,
    layers: [
      { type: 'conv2d', filters: 4, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'linear' }
    ]
  }
  const lm = toLayersModel({ spec, weights: initWeights(spec, 3) })
  modelJson = await saveLayersFiles(lm, join(root, 'keras-export'))
  lm.dispose()
  expect((await diredi('--json', 'dataset', 'import', '--builtin', 'mnist')).code).toBe(0)
})

describe('diredi teacher import / eval / distill (CLI)', () => {
  it('imports a tfjs layers model, evaluates it, and eval agrees', async () => {
    const imp = await diredi('--json', 'teacher', 'import', modelJson, '--dataset', 'mnist', '--name', 'imported')
    expect(imp.code, imp.err).toBe(0)
    const r = json(imp.out) as { model: { id: string; kind: string; params: number }; evaluation: { accuracy: number; n: number } }
    expect(r.model).toMatchObject({ kind: 'teacher', params: 4 * 9 + 4 + 14 * 14 * 4 * 10 + 10 })
    expect(r.evaluation.n).toBe(2000)
    const ev = await diredi('--json', 'eval', '--model', 'imported', '--dataset', 'mnist')
    expect(ev.code, ev.err).toBe(0)
    expect(json(ev.out)).toMatchObject({ modelId: r.model.id, accuracy: r.evaluation.accuracy, n: 2000 })
    const human = await diredi('eval', '--model', 'imported', '--dataset', 'mnist')
    expect(human.out).toMatch(/accuracy \d+\.\d\d%/)
    expect(human.out).toMatch(/confusion \(rows true, columns predicted\)/)
  })

  it('refuses what cannot work with a coded error and exit code 1, one JSON object with --json', async () => {
    const unfit = await diredi('--json', 'distill', '--teacher', 'imported', '--dataset', 'mnist', '--budget-kb', '0.1')
    expect(unfit.code).toBe(1)
    expect(json(unfit.out)).toMatchObject({ ok: false, error: { code: 'BUDGET_UNFITTABLE' } })
    const missing = await diredi('teacher', 'import', join(root, 'nope', 'model.json'))
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/model file .*nope\/model.json does not exist.*\[NOT_FOUND\]/)
  })

  it('refuses bad or missing flags with exit code 2 and what to give', async () => {
    const noBudget = await diredi('distill', '--teacher', 'imported', '--dataset', 'mnist')
    expect(noBudget.code).toBe(2)
    expect(noBudget.err).toMatch(/give --budget-kb <kb>/)
    const negative = await diredi('distill', '--teacher', 'imported', '--dataset', 'mnist', '--budget-kb', '-3')
    expect(negative.code).toBe(2)
    expect(negative.err).toMatch(/--budget-kb takes a number/)
    const family = await diredi('--json', 'distill', '--teacher', 'imported', '--dataset', 'mnist', '--budget-kb', '8', '--family', 'huge')
    expect(family.code).toBe(2)
    expect(json(family.out)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/family/) } })
    const batch = await diredi('teacher', 'train', '--dataset', 'mnist', '--batch-size', '0')
    expect(batch.code).toBe(2)
    expect(batch.err).toMatch(/--batch-size takes a whole number from 1/)
  })
})
