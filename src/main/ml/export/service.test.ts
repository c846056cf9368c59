import { promises as fs } from 'node:fs'
import * as ort from 'onnxruntime-node'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeArtifact, encodeArtifact } from '../../../shared/int8/format'
import { randomSpecModel } from '../../../shared/model/random'
import type { ModelSpec } from '../../../shared/model/spec'
import { createApp, type App } from '../../app/app'
import { sha256Hex as sha256 } from '../../core/hash'
import { synthDataset, tempDir } from '../../store/testing/fixtures'
import { randomInt8Model } from '../../../shared/int8/testing'

const spec: ModelSpec = {
  inputShape: [4, 4, 1],
  classes: 3,
  layers: [
    { type: 'conv2d', filters: 4, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'linear' }
  ]
}

let tmp: ReturnType<typeof tempDir>
let app: App
let modelId: string

beforeEach(async () => {
  tmp = tempDir('diredi-export-')
  app = await createApp({ dataDir: tmp.dir, host: 'cli' })
  const ds = await app.services.registry.datasets.put(synthDataset('synth', { n: 60, m: 30 }))
  const rec = await app.services.registry.models.put('student', randomSpecModel(spec, 3), { name: 'tiny', lineage: { datasetId: ds.id } })
  modelId = rec.id
})

afterEach(async () => {
  await app.dispose()
  tmp.remove()
})

const call = (method: string, params: Record<string, unknown>) => app.router.call(method, params, { via: 'test' })

describe('artifacts.build', () => {
  it('quantises with the model dataset, stores the artifact, reports int8 against float', async () => {
    const r = await app.router.invoke('artifacts.build', { model: modelId })
    expect(r.created).toBe(true)
    expect(r.record.id).toBe(`a-${r.record.hash.slice(0, 12)}`)
    expect(r.record.modelId).toBe(modelId)
    expect(r.report.testSamples).toBe(30)
    expect(r.report.calibrationSamples).toBe(60)
    expect(r.report.agreement).toBeGreaterThan(0.9)
    expect(r.report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(30)
    expect(r.record.metrics.agreement).toBe(r.report.agreement)
    const bytes = await app.services.registry.artifacts.read(r.record.id)
    expect(sha256(bytes)).toBe(r.record.hash)
    expect(decodeArtifact(bytes).classes).toBe(3)
    // Quantisation is deterministic: the same model and data give the same bytes.
    const again = await app.router.invoke('artifacts.build', { model: modelId })
    expect(again.created).toBe(false)
    expect(again.record.id).toBe(r.record.id)
    expect((await app.router.invoke('artifacts.get', { ref: r.record.id })).hash).toBe(r.record.hash)
  })

  it('refuses a dataset that does not fit the model, and a model without a dataset', async () => {
    const other = await app.services.registry.datasets.put(synthDataset('wide', { shape: [5], classes: 3 }))
    const bad = await call('artifacts.build', { model: modelId, dataset: other.id })
    expect(bad.ok || bad.error.code).toBe('INVALID_INPUT')
    expect(bad.ok || bad.error.message).toMatch(/shape \[5\].*takes \[4,4,1\]/)
    const orphan = await app.services.registry.models.put('student', randomSpecModel(spec, 4), { name: 'orphan', lineage: {} })
    const none = await call('artifacts.build', { model: orphan.id })
    expect(none.ok || none.error.message).toMatch(/--dataset/)
    const missing = await call('artifacts.build', { model: 's-000000000000' })
    expect(missing.ok || missing.error.code).toBe('NOT_FOUND')
  })

  it('is cancelled, not left running, when the console shuts down', async () => {
    const pending = call('artifacts.build', { model: modelId })
    await app.dispose()
    const r = await pending
    expect(r.ok || r.error.code).toBe('CANCELLED')
  })
})

describe('models.export', () => {
  it('writes an artifact file identical to the stored artifact, and an ONNX file', async () => {
    const out = join(tmp.dir, 'out', 'tiny.bin')
    const r = await app.router.invoke('models.export', { model: 'tiny', format: 'artifact', out })
    const file = new Uint8Array(await fs.readFile(out))
    expect(r.out).toBe(out)
    expect(r.sha256).toBe(r.artifact?.record.hash)
    expect(Array.from(file)).toEqual(Array.from(await app.services.registry.artifacts.read(r.artifact?.record.id ?? '')))

    const onnx = join(tmp.dir, 'tiny.onnx')
    const o = await app.router.invoke('models.export', { model: modelId, format: 'onnx', out: onnx })
    expect(o.bytes).toBe((await fs.stat(onnx)).size)
    expect(o.artifact).toBeUndefined()

    const q = await app.router.invoke('models.export', { model: modelId, format: 'onnx-int8', out: join(tmp.dir, 'tiny-int8.onnx') })
    expect(q.artifact?.record.id).toBe(r.artifact?.record.id)
    const session = await ort.InferenceSession.create(await fs.readFile(q.out))
    expect(session.outputNames).toEqual(['logits_int8', 'logits'])
    await session.release()
  })

  it('does not replace an existing file unless forced', async () => {
    const out = join(tmp.dir, 'taken.onnx')
    await fs.writeFile(out, 'keep me')
    const r = await call('models.export', { model: modelId, format: 'onnx', out })
    expect(r.ok || r.error.code).toBe('ALREADY_EXISTS')
    expect(await fs.readFile(out, 'utf8')).toBe('keep me')
    await app.router.invoke('models.export', { model: modelId, format: 'onnx', out, force: true })
    expect((await fs.readFile(out)).length).toBeGreaterThan(100)
  })
})

describe('artifacts.inspect', () => {
  it('summarises a valid file and refuses a corrupt or missing one with codes', async () => {
    const m = randomInt8Model({ inputShape: [784], classes: 10, layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] })
    const bytes = encodeArtifact(m)
    const path = join(tmp.dir, 'a.bin')
    await fs.writeFile(path, bytes)
    const info = await app.router.invoke('artifacts.inspect', { path })
    expect(info).toMatchObject({ bytes: bytes.length, sha256: sha256(bytes), classes: 10, weightCount: 784 * 32 + 320, maxActivationBytes: 784 })
    expect(info.layers.map((l) => l.outputShape)).toEqual([[32], [10]])

    await fs.writeFile(path, bytes.subarray(0, 100))
    const bad = await call('artifacts.inspect', { path })
    expect(bad.ok || bad.error).toMatchObject({ code: 'MODEL_INVALID', details: { artifactCode: 'TRUNCATED' } })
    const missing = await call('artifacts.inspect', { path: join(tmp.dir, 'nope.bin') })
    expect(missing.ok || missing.error.code).toBe('NOT_FOUND')
    const both = await call('artifacts.inspect', {})
    expect(both.ok || both.error.code).toBe('BAD_REQUEST')
  })
})
