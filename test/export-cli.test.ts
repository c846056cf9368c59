/**
 * `diredi export` and `diredi inspect` as a user runs them (from source, under tsx): a registry with a
 * dataset and a model is prepared in-process, then the CLI writes and checks the files.
 */
import { spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomSpecModel } from '../src/shared/model/random'
import { openRegistry } from '../src/main/store/registry'
import { synthDataset, tempDir } from '../src/main/store/testing/fixtures'

const root = process.cwd()
let tmp: ReturnType<typeof tempDir>

function diredi(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/main/cli/main.ts'), '--data-dir', tmp.dir, ...args], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(async () => {
  tmp = tempDir('diredi-export-cli-')
  const reg = await openRegistry(tmp.dir)
  const ds = await reg.datasets.put(synthDataset('synth', { n: 40, m: 20, shape: [16], classes: 3 }))
  const spec = { inputShape: [16], classes: 3, layers: [{ type: 'dense' as const, units: 8, activation: 'relu' as const }, { type: 'dense' as const, units: 3, activation: 'linear' as const }] }
  await reg.models.put('student', randomSpecModel(spec, 7), { name: 'cli-student', lineage: { datasetId: ds.id } })
})

afterAll(() => tmp.remove())

describe('diredi export', () => {
  it('writes an int8 artifact and reports size, hash and agreement as JSON', async () => {
    const out = join(tmp.dir, 'student.bin')
    const r = diredi(['--json', 'export', '--model', 'cli-student', '--format', 'artifact', '--out', out, '--calibration-samples', '20'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const j = JSON.parse(r.stdout) as { bytes: number; sha256: string; artifact: { record: { hash: string }; report: { agreement: number; calibrationSamples: number } } }
    expect(j.bytes).toBe((await fs.stat(out)).size)
    expect(j.sha256).toBe(j.artifact.record.hash)
    expect(j.artifact.report.calibrationSamples).toBe(20)
    expect(j.artifact.report.agreement).toBeGreaterThan(0.8)

    const info = diredi(['inspect', out])
    expect(info.code).toBe(0)
    expect(info.stdout).toContain(j.sha256)
    expect(info.stdout).toMatch(/dense +-> \[8\]\s+128 weights/)
  })

  it('writes ONNX with a readable summary, and fails clearly on bad input', async () => {
    const out = join(tmp.dir, 'student.onnx')
    const r = diredi(['export', '--model', 'cli-student', '--format', 'onnx', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/wrote .*student\.onnx \(onnx, \d+ bytes\)/)
    const again = diredi(['export', '--model', 'cli-student', '--format', 'onnx', '--out', out])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already exists; .*--force.*\[ALREADY_EXISTS\]/)
    const badFormat = diredi(['export', '--model', 'cli-student', '--format', 'tflite', '--out', out])
    expect(badFormat.code).toBe(2)
    expect(badFormat.stderr).toMatch(/--format takes artifact, onnx, onnx-int8/)
    const json = diredi(['--json', 'inspect', join(tmp.dir, 'nothing.bin')])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
