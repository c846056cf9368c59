import { describe, expect, it } from 'vitest'
import { createHmac, randomBytes } from 'node:crypto'
import { Rng } from '../../shared/random'
import { encodeKnowledgeBody, type KnowledgeBody } from '../../shared/wire/knowledge'
import { KnowledgeInbox, validateKnowledge, type InboxContext } from './validate'

const key = randomBytes(32)
const otherKey = randomBytes(32)
const base = randomBytes(32)
const shapes = new Map<string, number[]>([['1/kernel', [16, 4]], ['1/bias', [4]]])

function body(over: Partial<KnowledgeBody> = {}): KnowledgeBody {
  const k = new Float32Array(64).map((_, i) => Math.sin(i) * 0.01)
  const b = new Float32Array(4).fill(0.02)
  const tensors = over.tensors ?? [{ name: '1/kernel', shape: [16, 4], values: k }, { name: '1/bias', shape: [4], values: b }]
  const norm = Math.sqrt(tensors.reduce((a, t) => a + t.values.reduce((x, v) => x + v * v, 0), 0))
  return {
    boardId: 'b1', base, nonce: randomBytes(16), layers: 'head', epochs: 3, lr: 0.01, mu: 0.01, clip: 0, sigma: 0,
    nTrain: 300, nTest: 200, classCounts: [100, 100, 100], accBefore: 0.9, accAfter: 0.95, deltaNorm: norm, tensors, ...over
  }
}
const sign = (b: Uint8Array, k = key) => {
  const tag = createHmac('sha256', k).update(b).digest()
  const out = new Uint8Array(b.length + 32)
  out.set(b)
  out.set(tag, b.length)
  return out
}
const blob = (over: Partial<KnowledgeBody> = {}, k = key) => sign(encodeKnowledgeBody(body(over)), k)
const ctx = (): Omit<InboxContext, 'seen'> => ({ keyOf: (id) => (id === 'b1' ? key : null), shapesOf: (h) => (h === Buffer.from(base).toString('hex') ? shapes : null), maxNorm: 10 })

describe('knowledge validation (step 4)', () => {
  it('accepts well-formed knowledge once and refuses its replay', () => {
    const inbox = new KnowledgeInbox(ctx())
    const b = blob()
    expect(inbox.submit(b).ok).toBe(true)
    expect(inbox.submit(b)).toMatchObject({ ok: false, code: 'REPLAY' })
    expect(inbox.accepted).toHaveLength(1)
  })

  it.each([
    ['a bad signature', () => blob({}, otherKey), 'BAD_SIGNATURE'],
    ['an unknown board', () => blob({ boardId: 'stranger' }), 'UNKNOWN_BOARD'],
    ['an unknown base hash', () => blob({ base: randomBytes(32) }), 'UNKNOWN_BASE'],
    ['a NaN', () => blob({ tensors: [{ name: '1/bias', shape: [4], values: new Float32Array([0, NaN, 0, 0]) }] }), 'NON_FINITE'],
    ['a huge norm', () => blob({ tensors: [{ name: '1/bias', shape: [4], values: new Float32Array([1e3, 0, 0, 0]) }] }), 'NORM_TOO_LARGE'],
    ['a wrong shape', () => blob({ tensors: [{ name: '1/kernel', shape: [4, 16], values: new Float32Array(64) }] }), 'BAD_SHAPE'],
    ['a foreign tensor name', () => blob({ tensors: [{ name: '7/kernel', shape: [4], values: new Float32Array(4) }] }), 'BAD_SHAPE'],
    ['a misstated norm', () => blob({ deltaNorm: 5 }), 'BAD_SHAPE'],
    ['n_b = 0', () => blob({ nTrain: 0 }), 'NO_SAMPLES'],
    ['a truncated blob', () => blob().subarray(0, 100), 'MALFORMED'],
    ['garbage', () => randomBytes(500), 'MALFORMED']
  ])('refuses %s, saying why', (_name, make, code) => {
    const v = validateKnowledge(make(), { ...ctx(), seen: () => false })
    expect(v).toMatchObject({ ok: false, code })
    if (!v.ok) expect(v.reason.length).toBeGreaterThan(5)
  })

  it('fuzz: 10,000 malformed or hostile messages, none accepted, nothing changed, no crash', () => {
    const rng = new Rng(2026)
    const inbox = new KnowledgeInbox(ctx())
    const good = blob()
    expect(inbox.submit(good).ok).toBe(true) // the genuine one, then everything else is hostile
    const codes = new Map<string, number>()
    const mutations = [
      () => { const b = good.slice(); for (let k = 1 + rng.int(8); k > 0; k--) b[rng.int(b.length)] ^= 1 << rng.int(8); return b }, // bit flips (signature breaks)
      () => good.subarray(0, rng.int(good.length)), // truncation
      () => good, // replay of the accepted one
      () => randomBytes(rng.int(2000)), // garbage
      () => blob({ tensors: [{ name: '1/bias', shape: [4], values: new Float32Array([0, rng.next() < 0.5 ? NaN : Infinity, 0, 0]) }] }), // signed NaN/Inf
      () => blob({ tensors: [{ name: '1/bias', shape: [4], values: new Float32Array([11 + rng.next() * 1e6, 0, 0, 0]) }] }), // signed huge norm
      () => blob({ tensors: [{ name: '1/kernel', shape: [1 + rng.int(32), 1 + rng.int(8)], values: new Float32Array(0) }].map((t) => ({ ...t, values: new Float32Array(t.shape[0] * t.shape[1]) })).filter((t) => t.shape[0] !== 16 || t.shape[1] !== 4) }), // signed wrong shapes
      () => blob({ base: randomBytes(32) }), // signed, unknown base
      () => blob({ nTrain: 0 }), // signed, no samples
      () => blob({}, randomBytes(32)), // signed with another key
      () => blob({ boardId: `x${rng.int(1000)}` }) // unpaired board
    ]
    for (let i = 0; i < 10_000; i++) {
      let b = mutations[rng.int(mutations.length)]()
      if (b.length === 0) b = new Uint8Array([0])
      const v = inbox.submit(b)
      if (v.ok) throw new Error(`hostile message ${i} was accepted`)
      codes.set(v.code, (codes.get(v.code) ?? 0) + 1)
    }
    expect(inbox.accepted).toHaveLength(1)
    expect(inbox.log.filter((e) => !e.accepted)).toHaveLength(10_000)
    for (const c of ['MALFORMED', 'BAD_SIGNATURE', 'REPLAY', 'NON_FINITE', 'NORM_TOO_LARGE', 'BAD_SHAPE', 'UNKNOWN_BASE', 'NO_SAMPLES', 'UNKNOWN_BOARD']) expect(codes.get(c) ?? 0).toBeGreaterThan(0)
  })
})
