import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../core/errors'
import { openRegistry } from './registry'
import { tempDir, tinyModel } from './testing/fixtures'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))
const fresh = async () => {
  const t = tempDir()
  cleanups.push(t.remove)
  return { dir: t.dir, reg: await openRegistry(t.dir, { builtins: {} }) }
}
const code = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e instanceof AppError ? `${e.code}: ${e.message}` : `not an AppError: ${String(e)}`
  }
  return 'resolved'
}

describe('registry models', () => {
  it('stores spec + record in model.json and float32 weights in spec order, whatever order they came in', async () => {
    const { dir, reg } = await fresh()
    const m = tinyModel()
    const shuffled = { ...m, weights: { tensors: [...m.weights.tensors].reverse() } }
    const r = await reg.models.put('teacher', shuffled, { name: 'big', lineage: { datasetId: 'ds-000000000000', jobId: 'j1' }, metrics: { testAcc: 0.9 } })
    expect(r.id).toMatch(/^t-[0-9a-f]{12}$/)
    expect(r).toMatchObject({ kind: 'teacher', name: 'big', params: 4 * 3 + 3 + 3 * 2 + 2, lineage: { datasetId: 'ds-000000000000', jobId: 'j1' }, metrics: { testAcc: 0.9 } })
    const entry = join(dir, 'registry', 'models', r.id)
    expect(readdirSync(entry).sort()).toEqual(['model.json', 'weights.bin'])
    expect(statSync(join(entry, 'weights.bin')).size).toBe(r.params * 4)
    const file = JSON.parse(readFileSync(join(entry, 'model.json'), 'utf8')) as { record: unknown; tensors: Array<{ name: string }> }
    expect(file.record).toEqual(r)
    expect(file.tensors.map((t) => t.name)).toEqual(['0/kernel', '0/bias', '1/kernel', '1/bias'])
    const loaded = await reg.models.load('big')
    expect(loaded).toEqual(m)
    // same content in any order: same record; under another name it gains an alias
    expect(await reg.models.put('teacher', m, { name: 'big', lineage: {} })).toEqual(r)
    expect(await reg.models.put('teacher', m, { name: 'large', lineage: {} })).toEqual({ ...r, aliases: ['large'] })
    expect((await reg.models.get('large')).id).toBe(r.id)
  })

  it('keeps teacher and student ids apart, names unique per kind, and asks for an id when a name is shared', async () => {
    const { reg } = await fresh()
    const t = await reg.models.put('teacher', tinyModel(), { name: 'x', lineage: {} })
    const s = await reg.models.put('student', tinyModel(2), { name: 'x', lineage: { teacherId: t.id } })
    expect(s.id).toMatch(/^s-/)
    expect((await reg.models.list('student')).map((r) => r.id)).toEqual([s.id])
    expect((await reg.models.list()).length).toBe(2)
    expect(await code(reg.models.get('x'))).toMatch(/^INVALID_INPUT: several models are named "x" \(t-\w+, s-\w+\); give the id instead/)
    expect(await code(reg.models.put('teacher', tinyModel(3), { name: 'x', lineage: {} }))).toMatch(/^ALREADY_EXISTS: a teacher named "x" already exists \(t-\w+\) with other weights/)
    expect((await reg.models.get(s.id)).lineage.teacherId).toBe(t.id)
  })

  it('refuses weights that do not fit the spec with MODEL_INVALID', async () => {
    const { reg } = await fresh()
    const missing = tinyModel()
    missing.weights.tensors.pop()
    expect(await code(reg.models.put('student', missing, { name: 'a', lineage: {} }))).toBe('MODEL_INVALID: weight 1/bias (shape [2]) is missing; layer 1 (dense) needs it')
    const wrong = tinyModel()
    wrong.weights.tensors[0] = { name: '0/kernel', shape: [3, 4], data: new Float32Array(12) }
    expect(await code(reg.models.put('student', wrong, { name: 'a', lineage: {} }))).toMatch(/^MODEL_INVALID: weight 0\/kernel has shape \[3,4\] and 12 values; the spec needs \[4,3\]/)
    const extra = tinyModel()
    extra.weights.tensors.push({ name: '2/kernel', shape: [1], data: new Float32Array(1) })
    expect(await code(reg.models.put('student', extra, { name: 'a', lineage: {} }))).toMatch(/^MODEL_INVALID: weights 2\/kernel belong to no layer/)
    const nan = tinyModel()
    nan.weights.tensors[1].data[0] = Infinity
    expect(await code(reg.models.put('student', nan, { name: 'a', lineage: {} }))).toMatch(/^MODEL_INVALID: weight 0\/bias holds Infinity at index 0/)
    const badSpec = tinyModel()
    badSpec.spec.classes = 5
    expect(await code(reg.models.put('student', badSpec, { name: 'a', lineage: {} }))).toMatch(/^MODEL_INVALID: the model spec is inconsistent: the model must end in 5 logits/)
    expect(await reg.models.list()).toEqual([])
  })

  it('annotates metrics and meta without changing the id, durably', async () => {
    const { dir, reg } = await fresh()
    const r = await reg.models.put('student', tinyModel(), { name: 's', lineage: {}, metrics: { testAcc: 0.5 }, meta: { budgetKb: 32 } })
    const a = await reg.models.annotate('s', { metrics: { int8Agreement: 0.995 }, meta: { artifact: 'a-1' } })
    expect(a).toMatchObject({ id: r.id, metrics: { testAcc: 0.5, int8Agreement: 0.995 }, meta: { budgetKb: 32, artifact: 'a-1' } })
    const again = await openRegistry(dir, { builtins: {} })
    expect(await again.models.get(r.id)).toEqual(a)
  })
})

describe('registry artifacts', () => {
  it('stores the raw bytes under the id of their SHA-256, once, linked to a model', async () => {
    const { dir, reg } = await fresh()
    const m = await reg.models.put('student', tinyModel(), { name: 's', lineage: {} })
    const bytes = new Uint8Array([1, 2, 3, 4, 5])
    const a = await reg.artifacts.put(bytes, { modelId: m.id, formatVersion: 1, metrics: { agreement: 1 } })
    expect(a).toMatchObject({ id: 'a-74f81fe167d9', hash: '74f81fe167d99b4cb41d6d0ccda82278caee9f3e2f25d5e5a3936ff3dcec60d0', modelId: m.id, bytes: 5, format: 'diredi-int8' })
    expect(readFileSync(join(dir, 'registry', 'artifacts', a.id, 'artifact.bin'))).toEqual(Buffer.from(bytes))
    expect(await reg.artifacts.read(a.id)).toEqual(bytes)
    expect(await reg.artifacts.put(bytes, { modelId: m.id, formatVersion: 1 })).toEqual(a)
    expect((await reg.artifacts.list()).length).toBe(1)
    expect(await reg.artifacts.list('s-000000000000')).toEqual([])
    expect(await code(reg.artifacts.put(new Uint8Array([9]), { modelId: 's-000000000000', formatVersion: 1 }))).toMatch(/^NOT_FOUND: no model with id or name "s-000000000000"/)
    writeFileSync(join(dir, 'registry', 'artifacts', a.id, 'artifact.bin'), new Uint8Array([1, 2, 3, 4, 6]))
    expect(await code(reg.artifacts.read(a.id))).toMatch(/^IO_ERROR: artifact a-74f81fe167d9: its bytes no longer match its hash/)
  })
})
