import { createHmac } from 'node:crypto'
import { sha256 } from '../core/hash'
import { encodeKnowledgeBody, type KnowledgeBody } from '../../shared/wire/knowledge'
import { utf8Encode } from '../../shared/wire/utf8'
import type { MessageValue } from '../../shared/wire/messages'
import { sameBytes } from '../core/hash'
import type { BoardHost } from './board-host'
import { classCounts } from './data'
import { clipAndNoise, l2 } from './privacy'

type JobState = 'running' | 'done' | 'failed' | 'cancelled'

interface Job {
  id: number
  state: JobState
  epoch: number
  epochs: number
  abort: AbortController
  blob: Uint8Array | null
  digest: Uint8Array
  detail: string
}

/** HMAC-SHA256, the knowledge signature and the re-pairing proof. */
export const hmac = (key: Uint8Array, data: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(data).digest())

/** The re-pairing proof a paired board wants: HMAC-SHA256(old key, new key || UTF-8 board id). */
export function pairingProof(oldKey: Uint8Array, newKey: Uint8Array, boardId: string): Uint8Array {
  const id = utf8Encode(boardId)
  const m = new Uint8Array(newKey.length + id.length)
  m.set(newKey)
  m.set(id, newKey.length)
  return hmac(oldKey, m)
}

/**
 * Pairing, adaptation jobs and the knowledge upload of a virtual board (docs/method.md §3). One job at a
 * time; its result stays readable (KNOWLEDGE_GET, by offset) until the next job starts or the board reboots.
 */
export class AdaptJobs {
  private job: Job | null = null
  private nextId = 1

  constructor(private readonly b: BoardHost) {}

  pair(v: MessageValue<'PAIR'>): void {
    const f = this.b.flash
    if (f.key && !sameBytes(v.proof, pairingProof(f.key, v.key, this.b.cfg.boardId))) {
      return this.b.fail(v.rid, 'BAD_PROOF', 'this board is paired; re-pairing needs proof of the old key')
    }
    f.key = v.key.slice()
    this.b.persist()
    this.b.log('info', 'paired: knowledge-signing key stored')
    this.b.sendMsg('PAIRED', { rid: v.rid, boardId: this.b.cfg.boardId })
  }

  start(v: MessageValue<'ADAPT_START'>): void {
    const b = this.b
    const cap = b.cfg.adaptation
    if (!b.env.adapter || cap === 'none') return b.fail(v.rid, 'UNSUPPORTED', 'this board cannot adapt its model')
    if (v.layers === 'all' && cap === 'head') return b.fail(v.rid, 'UNSUPPORTED', `this board adapts the head only; ask for layers 'head'`)
    if (v.layers === 'tutor' && cap !== 'tutor') return b.fail(v.rid, 'UNSUPPORTED', `this board cannot train the teacher's architecture; ask for layers '${cap}'`)
    if (!b.flash.key) return b.fail(v.rid, 'NOT_PAIRED', 'pair the board first: knowledge must be signed')
    if (!b.env.data) return b.fail(v.rid, 'NOT_FOUND', 'this board holds no user data')
    if (!b.model || !b.running) return b.fail(v.rid, 'NO_MODEL', 'no model is running')
    if (b.trial) return b.fail(v.rid, 'BAD_STATE', 'the model runs on trial; adapt only a confirmed model')
    if (v.layers === 'tutor' ? !this.stagedTeacher(v.base) : !sameBytes(b.runningHash() as Uint8Array, v.base)) {
      return b.fail(v.rid, 'BAD_SLOT', v.layers === 'tutor' ? 'no verified teacher artifact with that hash is staged in the other slot; flash it (without booting) first' : 'the running model is not the base named')
    }
    if (this.job?.state === 'running') return b.fail(v.rid, 'BUSY', `job ${this.job.id} is running; cancel it or wait`)
    if (!(v.epochs >= 1) || !(v.lr > 0) || !(v.mu >= 0) || !(v.clip >= 0) || !(v.sigma >= 0)) {
      return b.fail(v.rid, 'BAD_REQUEST', 'epochs >= 1, lr > 0, and mu, clip, sigma >= 0 are required')
    }
    const job: Job = { id: (this.nextId++ % 0xffff) + 1, state: 'running', epoch: 0, epochs: v.epochs, abort: new AbortController(), blob: null, digest: new Uint8Array(32), detail: '' }
    this.job = job
    b.sendMsg('ADAPT_STARTED', { rid: v.rid, job: job.id })
    void this.run(job, v)
  }

  /** For the tutor form: the verified, not running slot holding the artifact `hash` (the teacher), if any. */
  private stagedTeacher(hash: Uint8Array): Uint8Array | null {
    const b = this.b
    for (const name of ['a', 'b'] as const) {
      const s = b.flash.slots[name]
      if (name !== b.running && s.state === 'verified' && sameBytes(s.hash, hash)) return s.bytes.subarray(0, s.size)
    }
    return null
  }

  private async run(job: Job, v: MessageValue<'ADAPT_START'>): Promise<void> {
    const b = this.b
    const data = b.env.data as NonNullable<typeof b.env.data>
    const model = b.model as NonNullable<typeof b.model>
    const slot = b.flash.slots[b.running as 'a' | 'b']
    try {
      const r = await (b.env.adapter as NonNullable<typeof b.env.adapter>).adapt({
        artifact: slot.bytes.subarray(0, slot.size), model, layers: v.layers, epochs: v.epochs, lr: v.lr, mu: v.mu, seed: v.seed, data,
        ...(v.layers === 'tutor' ? { tutor: { artifact: (this.stagedTeacher(v.base) as Uint8Array).slice() } } : {}),
        signal: job.abort.signal,
        progress: (epoch, loss) => {
          if (job.state !== 'running') return
          job.epoch = epoch
          b.sendMsg('ADAPT_PROGRESS', { job: job.id, epoch, epochs: v.epochs, loss })
        }
      })
      if (job.state !== 'running') return
      const tensors = clipAndNoise(r.tensors, v.clip, v.sigma, b.rand)
      const body: KnowledgeBody = {
        boardId: b.cfg.boardId, base: v.base, nonce: v.nonce, layers: v.layers, epochs: v.epochs, lr: v.lr, mu: v.mu, clip: v.clip, sigma: v.sigma,
        nTrain: data.train.n, nTest: data.test.n, classCounts: classCounts(data.train, data.classes),
        accBefore: r.accBefore, accAfter: r.accAfter, deltaNorm: l2(tensors), tensors
      }
      const signed = encodeKnowledgeBody(body)
      const blob = new Uint8Array(signed.length + 32)
      blob.set(signed)
      blob.set(hmac(b.flash.key as Uint8Array, signed), signed.length)
      job.blob = blob
      job.digest = sha256(blob)
      job.state = 'done'
      b.log('info', `adaptation job ${job.id} done: ${blob.length} bytes of knowledge`)
    } catch (e) {
      if (job.state !== 'running') return
      job.state = job.abort.signal.aborted ? 'cancelled' : 'failed'
      job.detail = (e as Error).message ?? String(e)
      b.log('error', `adaptation job ${job.id} ${job.state}: ${job.detail}`)
    }
    b.sendMsg('ADAPT_DONE', { job: job.id, state: job.state, bytes: job.blob?.length ?? 0, digest: job.digest, detail: job.detail.slice(0, 200) })
  }

  status(v: MessageValue<'ADAPT_STATUS'>): void {
    const j = this.job
    if (!j || j.id !== v.job) return this.b.fail(v.rid, 'NOT_FOUND', `no job ${v.job} on this board`)
    this.b.sendMsg('ADAPT_STATE', { rid: v.rid, job: j.id, state: j.state, epoch: j.epoch, epochs: j.epochs, bytes: j.blob?.length ?? 0, digest: j.digest })
  }

  read(v: MessageValue<'KNOWLEDGE_GET'>): void {
    const j = this.job
    if (!j || j.id !== v.job) return this.b.fail(v.rid, 'NOT_FOUND', `no job ${v.job} on this board`)
    if (j.state !== 'done' || !j.blob) return this.b.fail(v.rid, 'BAD_STATE', `job ${j.id} is ${j.state}; knowledge is ready when it is done`)
    if (v.offset > j.blob.length) return this.b.fail(v.rid, 'BAD_OFFSET', `offset ${v.offset} is past the ${j.blob.length}-byte blob`)
    const data = j.blob.slice(v.offset, v.offset + Math.min(v.length, this.b.cfg.chunkMax))
    this.b.sendMsg('KNOWLEDGE_CHUNK', { rid: v.rid, job: j.id, offset: v.offset, total: j.blob.length, data })
  }

  cancel(v: MessageValue<'ADAPT_CANCEL'>): void {
    const j = this.job
    if (!j || j.id !== v.job) return this.b.fail(v.rid, 'NOT_FOUND', `no job ${v.job} on this board`)
    if (j.state === 'running') {
      j.state = 'cancelled'
      j.abort.abort()
      this.b.sendMsg('ADAPT_DONE', { job: j.id, state: 'cancelled', bytes: 0, digest: j.digest, detail: 'cancelled by the console' })
    }
    this.b.sendMsg('OK', { rid: v.rid })
  }

  cancelAll(why: string): void {
    if (this.job?.state === 'running') {
      this.job.state = 'cancelled'
      this.job.detail = why
      this.job.abort.abort()
    }
    this.job = null
  }
}
