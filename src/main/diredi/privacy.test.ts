import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../app/app'
import type { JobInfo } from '../../shared/api/jobs'
import type { RoundReport, RoundSummary } from '../../shared/api/diredi'
import { Rng } from '../../shared/random'
import { parseScenario, partition } from './partition'

/**
 * docs/method.md §0: no message type of the board protocol can carry an input or a per-sample output,
 * and this test checks the bytes on the line. A dataset of high-entropy images (each one recognisable by its bytes)
 * and a board that holds some of them; every byte the board sends toward the console during a full round
 * is captured on the wire, and none of its private samples, in any encoding, nor the per-sample outputs
 * of its models, is found there.
 */
const SIDE = 8
const CLASSES = 10
const PER = SIDE * SIDE

function noisyDataset(n: number, seed: number) {
  const rng = new Rng(seed)
  // Class c: a fixed random template plus strong per-sample noise; pixels are k/255 values (stored as uint8).
  const templates = Array.from({ length: CLASSES }, () => Array.from({ length: PER }, () => rng.next()))
  const x = new Uint8Array(n * PER)
  const y = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const c = i % CLASSES
    y[i] = c
    for (let j = 0; j < PER; j++) x[i * PER + j] = Math.max(0, Math.min(255, Math.round(255 * (0.7 * templates[c][j] + 0.3 * rng.next()))))
  }
  return { x, y, n }
}

let dir: string
let app: App
const captured = new Map<string, Uint8Array[]>()
let report: RoundReport

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'diredi-privacy-'))
  app = await createApp({ dataDir: dir, host: 'cli' })
  await app.services.registry.datasets.put({ name: 'canaries', format: 'derived', inputShape: [SIDE, SIDE, 1], classNames: [...Array(CLASSES).keys()].map(String), train: noisyDataset(1200, 1), test: noisyDataset(300, 2), source: ['test'] })
  const scenario = {
    name: 'privacy', dataset: 'canaries', seed: 4, presumed: { fraction: 0.5 },
    models: { teacher: 'mlp', teacher_epochs: 2, student_budget_kb: 4, student_family: 'dense', student_epochs: 2 },
    tuning: { board_epochs: 2, update_epochs: 1 },
    boards: [{ id: 'holder', samples: 150, test_samples: 50, preference: { relabel: { '2': 5 } }, adapt: 'all' }]
  }
  writeFileSync(join(dir, 'privacy.json'), JSON.stringify(scenario))
  app.services.diredi.deps.lab.tap = (id, bytes) => captured.set(id, [...(captured.get(id) ?? []), bytes.slice()])
  const job: JobInfo = await app.router.invoke('diredi.round', { scenario: join(dir, 'privacy.json') })
  const done = await app.services.jobs.wait(job.id)
  expect(done.state, JSON.stringify(done.error)).toBe('succeeded')
  const r = (done.result as { rounds: RoundSummary[] }).rounds[0]
  report = await app.router.invoke('diredi.roundReport', { id: r.id })
}, 300_000)

afterAll(async () => {
  await app?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

/** All 24-byte windows of `hay` with at least 8 distinct byte values (low-entropy runs match anything). */
function windows(hay: Uint8Array, w = 24): Set<string> {
  const s = new Set<string>()
  for (let i = 0; i + w <= hay.length; i++) {
    const win = hay.subarray(i, i + w)
    if (new Set(win).size >= 8) s.add(Buffer.from(win).toString('latin1'))
  }
  return s
}

function leaks(needle: Uint8Array, hay: Set<string>, w = 24): number {
  let hits = 0
  for (let i = 0; i + w <= needle.length; i += 4) {
    const win = needle.subarray(i, i + w)
    if (new Set(win).size >= 8 && hay.has(Buffer.from(win).toString('latin1'))) hits++
  }
  return hits
}

describe('the privacy of a board’s data through a whole round', () => {
  it('the round took knowledge from the board and reported zero raw samples', () => {
    expect(report.inbox.filter((i) => i.accepted)).toHaveLength(1)
    expect(report.ledger.totals.rawSamplesUploaded).toBe(0)
    expect(report.ledger.totals.knowledgeBytes).toBeGreaterThan(0)
    const bytesOnWire = [...(captured.get('holder') ?? [])].reduce((a, b) => a + b.length, 0)
    // The ledger counts every delivered message; the wire also carries acknowledgements and resends.
    expect(report.ledger.totals.bytes).toBeGreaterThan(0)
    expect(report.ledger.totals.bytes).toBeLessThanOrEqual(bytesOnWire)
    expect(Object.keys(report.ledger.boards[0].bytesByType)).toContain('KNOWLEDGE_CHUNK')
  })

  it('no private sample, in uint8 or float32 form, nor any per-sample output, is in what the board sent', async () => {
    const wire = Buffer.concat(captured.get('holder') ?? [])
    expect(wire.length).toBeGreaterThan(10_000)
    const hay = windows(wire)
    // The board's data, exactly as the round gave it to the board (the partition is deterministic).
    const ds = await app.services.registry.datasets.load('canaries')
    const scenario = parseScenario(JSON.parse((await import('node:fs')).readFileSync(join(dir, 'privacy.json'), 'utf8')))
    const data = partition(scenario, ds).boards[0]
    const splits = [data.train, data.test]
    // Positive control: the same search finds a sample planted into a copy of the stream, in either form.
    const one = data.train.x.subarray(0, PER)
    const oneF32 = new Uint8Array(one.buffer.slice(one.byteOffset, one.byteOffset + one.byteLength))
    const oneU8 = Uint8Array.from(one, (v) => Math.round(v * 255))
    expect(leaks(oneF32, windows(Buffer.concat([wire.subarray(0, 5000), oneF32, wire.subarray(5000)])))).toBeGreaterThan(10)
    expect(leaks(oneU8, windows(Buffer.concat([wire.subarray(0, 5000), oneU8])))).toBeGreaterThan(5)
    let checked = 0
    for (const s of splits) {
      for (let i = 0; i < s.n; i++) {
        const f = s.x.subarray(i * PER, (i + 1) * PER)
        const u8 = Uint8Array.from(f, (v) => Math.round(v * 255))
        const f32 = new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength))
        expect(leaks(u8, hay), `sample ${i} (uint8)`).toBe(0)
        expect(leaks(f32, hay), `sample ${i} (float32)`).toBe(0)
        checked++
      }
    }
    expect(checked).toBe(200)
    // Per-sample outputs: the float logits of S_r and of the board's adapted model on every private sample.
    const reg = app.services.registry
    const pool = app.services.ml.pool
    const { logits } = await import('../ml/engine')
    for (const id of [report.studentBefore, report.candidate as string]) {
      const model = await reg.models.load(id)
      const z = await logits(pool, model, data.train)
      const bytes = new Uint8Array(z.buffer, z.byteOffset, z.byteLength)
      expect(leaks(bytes, hay, 24), `outputs of ${id}`).toBe(0)
    }
  })

  it('the ledger states the size of the private data it never received', () => {
    const b = report.ledger.boards[0]
    expect(b.privateDataBytes).toBe(200 * (PER * 4 + 4))
    expect(b.rawSamplesUploaded).toBe(0)
  })
})
