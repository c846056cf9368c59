import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { dequantizeWeights, encodeArtifact, decodeArtifact } from '../../shared/int8'
import type { ModelSpec, SpecModel } from '../../shared/model/spec'
import { Rng } from '../../shared/random'
import { initWeights } from '../ml/model/init'
import { quantizeModel } from '../ml/quantize/quantize'
import { MlPool } from '../ml/worker/pool'
import { openRegistry } from '../store/registry'
import { VirtualBus } from '../transport/virtual'
import { SerialOpener } from '../transport/serial'
import { CompositeOpener } from '../transport/composite'
import { adaptedNames, train } from '../ml/engine'
import { ScenarioLibrary } from './library'
import { relabelledClasses } from './round'
import { TeacherLines } from './teachers'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'diredi-parts-'))
  dirs.push(d)
  return d
}
const pool = new MlPool(2)
afterAll(async () => {
  await pool.dispose()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const convSpec: ModelSpec = {
  inputShape: [6, 6, 1],
  classes: 3,
  layers: [
    { type: 'conv2d', filters: 4, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
    { type: 'depthwiseConv2d', kernel: [3, 3], strides: [1, 1], padding: 'valid', depthMultiplier: 2, activation: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'linear' }
  ]
}

describe('dequantizeWeights (what a board trains from, and what the console rebuilds S_b from)', () => {
  it('gives back every weight within half a quantisation step, in the spec layouts', () => {
    const model: SpecModel = { spec: convSpec, weights: initWeights(convSpec, 3) }
    const rng = new Rng(1)
    const calib = Float32Array.from({ length: 40 * 36 }, () => rng.next())
    const q = decodeArtifact(encodeArtifact(quantizeModel(model, calib)))
    const back = dequantizeWeights(q)
    expect(back.tensors.map((t) => [t.name, t.shape])).toEqual(model.weights.tensors.map((t) => [t.name, t.shape]))
    back.tensors.forEach((t, k) => {
      const orig = model.weights.tensors[k].data
      const maxAbs = Math.max(...Array.from(orig, Math.abs))
      let worst = 0
      for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs(t.data[i] - orig[i]))
      // Per-channel symmetric int8: a step is at most max|w| / 127 (biases are int32: far finer).
      expect(worst, t.name).toBeLessThanOrEqual(maxAbs / 127 / 2 + 1e-6)
    })
  })
})

describe('head-only adaptation', () => {
  it('moves the last layer and leaves every other parameter exactly as it was', async () => {
    const spec: ModelSpec = { inputShape: [8], classes: 3, layers: [{ type: 'dense', units: 6, activation: 'relu' }, { type: 'dense', units: 3, activation: 'linear' }] }
    const init = initWeights(spec, 5)
    const rng = new Rng(2)
    const n = 64
    const data = { x: Float32Array.from({ length: n * 8 }, () => rng.next()), y: Int32Array.from({ length: n }, (_, i) => i % 3), n }
    const m = await train(pool, { spec, init, data, epochs: 3, lr: 0.05, seed: 1, headOnly: true })
    expect(adaptedNames(spec, 'head')).toEqual(['1/kernel', '1/bias'])
    for (const t of m.weights.tensors) {
      const before = init.tensors.find((x) => x.name === t.name)?.data as Float32Array
      const moved = t.data.some((v, i) => v !== before[i])
      expect(moved, t.name).toBe(t.name.startsWith('1/'))
    }
  })
})

describe('relabelledClasses (preference read from knowledge alone)', () => {
  const y = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2])
  const sr = Int32Array.from(y)
  it('names a class the board moves to another and holds no label of', () => {
    const moved = Int32Array.from([0, 0, 0, 2, 2, 1, 2, 2, 2])
    expect([...relabelledClasses(sr, y, 3, [{ pred: moved, counts: [5, 0, 9] }])]).toEqual([[1, 2]])
  })
  it('does not call forgetting by a board that holds few classes a relabelling', () => {
    const collapsed = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0])
    expect(relabelledClasses(sr, y, 3, [{ pred: collapsed, counts: [9, 0, 0] }]).size).toBe(0)
  })
  it('does not name a class the board holds labels of', () => {
    const moved = Int32Array.from([0, 0, 0, 2, 2, 2, 2, 2, 2])
    expect(relabelledClasses(sr, y, 3, [{ pred: moved, counts: [5, 3, 9] }]).size).toBe(0)
  })
})

describe('CompositeOpener', () => {
  it('routes a prefix to its own bus and lists both without taking the other’s ports', async () => {
    const a = new VirtualBus()
    const b = new VirtualBus()
    a.create('/virtual/vb-0', { serialNumber: 'A' })
    a.create('/virtual/lab/x/stray', { serialNumber: 'stray' })
    b.create('/virtual/lab/x/b1', { serialNumber: 'B' })
    const c = new CompositeOpener([{ prefix: '/virtual/lab/', opener: new SerialOpener(b.binding) }], new SerialOpener(a.binding))
    expect((await c.list()).map((p) => p.path).sort()).toEqual(['/virtual/lab/x/b1', '/virtual/vb-0'])
    const port = await c.open('/virtual/lab/x/b1', { baudRate: 115200 })
    expect(port.isOpen).toBe(true)
    await port.close()
    await expect(c.open('/virtual/lab/x/none', { baudRate: 115200 })).rejects.toThrow()
  })
})

describe('TeacherLines', () => {
  it('groups versions by lineage, follows the newest by default, and restores an earlier one', async () => {
    const dir = tmp()
    const reg = await openRegistry(dir)
    const spec: ModelSpec = { inputShape: [4], classes: 2, layers: [{ type: 'dense', units: 2, activation: 'linear' }] }
    const put = (seed: number, name: string, parentId?: string) => reg.models.put('teacher', { spec, weights: initWeights(spec, seed) }, { name, lineage: { ...(parentId ? { parentId } : {}), knowledge: parentId ? [`r/${name}`] : [] } })
    const t0 = await put(1, 'root')
    const t1 = await put(2, 'v1', t0.id)
    const t2 = await put(3, 'v2', t1.id)
    const other = await put(4, 'other')
    const lines = new TeacherLines(dir, reg)
    const all = await lines.lines()
    expect(all).toHaveLength(2)
    const line = await lines.lineOf(t2.id)
    expect(line.line).toBe(t0.id)
    expect(line.versions.map((v) => v.id)).toEqual([t0.id, t1.id, t2.id])
    expect(line.currentId).toBe(t2.id)
    expect(line.versions[2].knowledge).toEqual(['r/v2'])
    const restored = await lines.setCurrent(t1.id)
    expect(restored.currentId).toBe(t1.id)
    expect(await lines.current(t0.id)).toBe(t1.id)
    expect((await lines.lineOf(other.id)).currentId).toBe(other.id)
    // Pointers survive a restart; nothing was deleted.
    expect((await new TeacherLines(dir, reg).lineOf(t0.id)).versions).toHaveLength(3)
    expect(await new TeacherLines(dir, reg).current(t2.id)).toBe(t1.id)
  })
})

describe('ScenarioLibrary', () => {
  it('finds shipped scenarios by name and the user’s own in the data directory, and names a bad field', async () => {
    const dir = tmp()
    const lib = new ScenarioLibrary(dir)
    expect((await lib.load('demo-tiny')).scenario.boards).toHaveLength(2)
    const names = (await lib.list()).map((s) => s.name)
    expect(names).toEqual(expect.arrayContaining(['demo-tiny', 'prior-3', 'preference-3', 'covariate-3']))
    const { mkdirSync } = await import('node:fs')
    mkdirSync(join(dir, 'scenarios'))
    writeFileSync(join(dir, 'scenarios', 'mine.json'), JSON.stringify({ name: 'mine', dataset: 'mnist', presumed: { fraction: 0.5 }, boards: [{ id: 'x', samples: 5, test_samples: 5, covariate: { rotate_deg: 10 } }] }))
    expect((await lib.load('mine')).scenario.name).toBe('mine')
    expect((await lib.list()).find((s) => s.name === 'mine')?.shifts).toEqual(['covariate'])
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'b', dataset: 'mnist', presumed: { fraction: 1.5 }, boards: [] }))
    await expect(lib.load(join(dir, 'bad.json'))).rejects.toThrow(/presumed\.fraction.*boards: a scenario needs at least one board/s)
    writeFileSync(join(dir, 'broken.json'), '{ "name": ')
    await expect(lib.load(join(dir, 'broken.json'))).rejects.toThrow(/is not JSON/)
  })
})
