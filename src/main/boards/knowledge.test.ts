import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeArtifact, dequantizeModel, encodeArtifact, runInt8, quantizeInput } from '../../shared/int8'
import { randomInt8Model } from '../../shared/int8/testing'
import type { ModelSpec } from '../../shared/model/spec'
import { mulberry32 as rng } from '../../shared/random'
import { HeadBiasAdapter } from '../emulator/bias-adapter'
import type { PrivateData } from '../emulator/data'
import { InProcessBoards } from '../emulator/inprocess'
import { int8Runtime } from '../emulator/int8-runtime'
import { waitFor } from '../emulator/testing'
import { flashArtifact } from './flash'
import { goldenSet } from './golden'
import { AppError } from '../core/errors'
import { collectKnowledge as collectOnePath } from '../diredi/knowledge'
import { KnowledgeInbox, validateKnowledge, type InboxContext } from '../diredi/validate'
import { pair, type AdaptParams } from './knowledge'
import { BoardSession } from './session'

const spec: ModelSpec = { inputShape: [64], classes: 5, layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 5, activation: 'linear' }] }
const artifact = encodeArtifact(randomInt8Model(spec, 11))
const model = decodeArtifact(artifact)
const base = new Uint8Array(await crypto.subtle.digest('SHA-256', artifact))

/** The user's data: random inputs, labelled mostly 3 (the user's preference), else what the model says. */
function userData(n: number, seed: number): PrivateData['train'] {
  const r = rng(seed)
  const x = Float32Array.from({ length: n * 64 }, () => r())
  const y = Int32Array.from({ length: n }, (_, i) => {
    if (r() < 0.6) return 3
    const q = runInt8(model, quantizeInput(model, x.subarray(i * 64, (i + 1) * 64)))
    return q.indexOf(Math.max(...q))
  })
  return { x, y, n }
}
const data: PrivateData = { inputShape: [64], classes: 5, train: userData(300, 1), test: userData(200, 2) }

const shapes = new Map(dequantizeModel(model).weights.tensors.map((t) => [t.name, t.shape]))
/** The console's inbox for this board's knowledge: paired with `key`, knowing `base`'s weight shapes. */
const inboxCtx = (key: Uint8Array): Omit<InboxContext, 'seen'> => ({
  keyOf: (id) => (id === 'vb-0000' ? key : null),
  shapesOf: (h) => (h === Buffer.from(base).toString('hex') ? shapes : null),
  maxNorm: 1e6
})

/** One board's knowledge over the console's one knowledge path (upload, digest, signature, validation); a refusal throws. */
async function collectKnowledge(s: BoardSession, base: Uint8Array, key: Uint8Array, p: AdaptParams, onProgress?: (epoch: number, epochs: number) => void) {
  const v = await collectOnePath(s, new KnowledgeInbox(inboxCtx(key)), base, p, onProgress)
  if (!v.ok) throw new AppError('KNOWLEDGE_REJECTED', `${v.code}: ${v.reason}`)
  return { ...v.knowledge, blob: v.blob }
}
/** The same bytes judged by an inbox holding `key`, for the request `expect`: throws the refusal's reason. */
function verifyKnowledge(blob: Uint8Array, key: Uint8Array, expect: { boardId: string; base: Uint8Array; nonce: Uint8Array }): void {
  const v = validateKnowledge(blob, { ...inboxCtx(key), seen: () => false }, expect)
  if (!v.ok) throw new AppError('KNOWLEDGE_REJECTED', `${v.code}: ${v.reason}`)
}

describe('adaptation and the knowledge upload', () => {
  let boards: InProcessBoards
  let s: BoardSession
  const setup = async (adaptation: 'head' | 'all' = 'head') => {
    boards = new InProcessBoards(int8Runtime)
    const b = boards.add({ config: { pace: false, adaptation }, data, adapter: new HeadBiasAdapter() })
    const seen: number[] = []
    b.device.write = ((orig) => (bytes: Uint8Array) => (seen.push(...bytes), orig.call(b.device, bytes)))(b.device.write)
    s = new BoardSession(b.path, { opener: boards.opener })
    await s.open()
    await flashArtifact(s, artifact, { golden: goldenSet(artifact, 2) })
    return { b, seen }
  }
  afterEach(async () => {
    await s?.dispose()
    await boards?.dispose()
  })

  it('brings back a signed delta, bound to board, base and nonce, that helps on the user data', async () => {
    const { b, seen } = await setup()
    const key = new Uint8Array(randomBytes(32))
    await expect(collectKnowledge(s, base, key, { layers: 'head', epochs: 5, lr: 1, mu: 0.01 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    expect(await pair(s, key)).toBe('vb-0000')
    const progress: number[] = []
    const k = await collectKnowledge(s, base, key, { layers: 'head', epochs: 5, lr: 1, mu: 0.01 }, (e) => progress.push(e))
    expect(progress).toEqual([1, 2, 3, 4, 5])
    expect(k.body).toMatchObject({ boardId: 'vb-0000', layers: 'head', epochs: 5, nTrain: 300, nTest: 200 })
    expect(k.body.classCounts.reduce((a, c) => a + c, 0)).toBe(300)
    expect(k.body.tensors.map((t) => [t.name, t.shape])).toEqual([['1/bias', [5]]])
    expect(k.body.deltaNorm).toBeGreaterThan(0)
    expect(k.body.accAfter).toBeGreaterThan(k.body.accBefore)
    // The same bytes under another key, or for another request, are refused.
    expect(() => verifyKnowledge(k.blob, new Uint8Array(32), { boardId: 'vb-0000', base, nonce: k.body.nonce })).toThrow(/signature/)
    expect(() => verifyKnowledge(k.blob, key, { boardId: 'vb-0000', base, nonce: new Uint8Array(16) })).toThrow(/nonce/)
    expect(() => verifyKnowledge(k.blob, key, { boardId: 'vb-0000', base: new Uint8Array(32), nonce: k.body.nonce })).toThrow(/base/)
    // Not one private sample crossed the line: no 16-byte run of any quantised user input is in what the board sent.
    const line = Buffer.from(seen)
    for (const split of [data.train, data.test]) {
      for (let i = 0; i < split.n; i += 7) {
        const q = Buffer.from(quantizeInput(model, split.x.subarray(i * 64, (i + 1) * 64)).buffer)
        for (let at = 0; at + 16 <= 64; at += 16) expect(line.indexOf(q.subarray(at, at + 16))).toBe(-1)
      }
    }
    expect(b.board.counters.reverts).toBe(0)
  })

  it('clips the delta when asked, and reports aggregates of private inference only', async () => {
    await setup()
    const key = new Uint8Array(randomBytes(32))
    await pair(s, key)
    const k = await collectKnowledge(s, base, key, { layers: 'head', epochs: 3, lr: 1, mu: 0, clip: 0.05 })
    expect(k.body.deltaNorm).toBeLessThanOrEqual(0.05 + 1e-6)
    const rep = await s.request('EVAL_PRIVATE', { split: 'test' }, ['EVAL_REPORT'])
    expect(rep.n).toBe(200)
    expect(rep.classCounts.reduce((a, c) => a + c, 0)).toBe(200)
    expect(rep.confidenceHist.reduce((a, c) => a + c, 0)).toBe(200)
  })

  it('refuses what the board cannot or must not do', async () => {
    await setup('head')
    const key = new Uint8Array(randomBytes(32))
    await pair(s, key)
    await expect(collectKnowledge(s, base, key, { layers: 'all', epochs: 1, lr: 1, mu: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { boardCode: 'UNSUPPORTED' } })
    await expect(collectKnowledge(s, new Uint8Array(32), key, { layers: 'head', epochs: 1, lr: 1, mu: 0 })).rejects.toMatchObject({ details: { boardCode: 'BAD_SLOT' } })
    await expect(pair(s, new Uint8Array(32).fill(1))).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { boardCode: 'BAD_PROOF' } })
    const next = new Uint8Array(randomBytes(32))
    await pair(s, next, key)
    await collectKnowledge(s, base, next, { layers: 'head', epochs: 1, lr: 1, mu: 0 })
  })

  it('finishes the upload across an unplug during adaptation', async () => {
    const { b } = await setup()
    const key = new Uint8Array(randomBytes(32))
    await pair(s, key)
    let epochs = 0
    const pending = collectKnowledge(s, base, key, { layers: 'head', epochs: 40, lr: 0.5, mu: 0 }, () => epochs++)
    await waitFor(() => epochs > 0, 'the first epoch', 10_000)
    b.device.unplug()
    setTimeout(() => b.device.plug(), 200)
    const k = await pending
    expect(k.body.epochs).toBe(40)
    expect(s.counters.reconnects).toBeGreaterThan(0)
  })
})
