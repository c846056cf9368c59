import { createHmac, randomBytes } from 'node:crypto'
import { utf8Encode } from '../../shared/wire/utf8'
import { AppError } from '../core/errors'
import type { BoardSession } from './session'

export interface AdaptParams {
  layers: 'head' | 'all' | 'tutor'
  epochs: number
  lr: number
  mu: number
  /** L2 clip bound C; 0 or absent: off. */
  clip?: number
  /** Noise multiplier sigma (std sigma * C); 0 or absent: off. */
  sigma?: number
  seed?: number
}

/**
 * Provisions the board's knowledge-signing key (the console keeps it; see keys.ts). A paired board takes a
 * new key only with proof of the old one: HMAC-SHA256(old key, new key || board id).
 */
export async function pair(s: BoardSession, key: Uint8Array, oldKey?: Uint8Array): Promise<string> {
  const info = await s.ready()
  const proof = oldKey
    ? new Uint8Array(createHmac('sha256', oldKey).update(Buffer.concat([key, utf8Encode(info.boardId)])).digest())
    : new Uint8Array(32)
  const r = await s.request('PAIR', { key, proof }, ['PAIRED'])
  return r.boardId
}

/**
 * Starts reverse distillation on the board (docs/method.md §3) from its running model, which must be `base`.
 * Returns the job number and the fresh nonce the knowledge must carry.
 */
export async function startAdaptation(s: BoardSession, base: Uint8Array, p: AdaptParams): Promise<{ job: number; nonce: Uint8Array }> {
  const nonce = new Uint8Array(randomBytes(16))
  const r = await s.request('ADAPT_START', { layers: p.layers, epochs: p.epochs, lr: p.lr, mu: p.mu, clip: p.clip ?? 0, sigma: p.sigma ?? 0, base, nonce, seed: p.seed ?? 1 }, ['ADAPT_STARTED'])
  return { job: r.job, nonce }
}

/** Waits for a job to end: its ADAPT_DONE, or (after a reconnect, when that was missed) ADAPT_STATUS. */
export function awaitAdaptation(s: BoardSession, job: number, onProgress?: (epoch: number, epochs: number, loss: number) => void, timeoutMs = 600_000): Promise<{ bytes: number; digest: string }> {
  return new Promise((resolve, reject) => {
    let ended = false
    const finish = (state: string, bytes: number, digest: Uint8Array, detail: string) => {
      if (ended) return
      ended = true
      off()
      offReady()
      clearTimeout(timer)
      if (state === 'done') resolve({ bytes, digest: Buffer.from(digest).toString('hex') })
      else reject(new AppError('JOB_FAILED', `${s.path}: adaptation job ${job} ${state}${detail ? `: ${detail}` : ''}`))
    }
    const off = s.on('adapt', (m) => {
      if (m.name === 'ADAPT_PROGRESS' && m.value.job === job) onProgress?.(m.value.epoch, m.value.epochs, m.value.loss)
      if (m.name === 'ADAPT_DONE' && m.value.job === job) finish(m.value.state, m.value.bytes, m.value.digest, m.value.detail)
    })
    // Asks the board directly: now (the job may have ended before we listened) and after every reconnect.
    const poll = () =>
      s.request('ADAPT_STATUS', { job }, ['ADAPT_STATE']).then(
        (st) => st.state !== 'running' && finish(st.state, st.bytes, st.digest, ''),
        (e: AppError) => e.code !== 'BOARD_DISCONNECTED' && finish('failed', 0, new Uint8Array(32), e.message)
      )
    const offReady = s.on('ready', () => void poll())
    void poll()
    const timer = setTimeout(() => finish('timed out', 0, new Uint8Array(32), `no result within ${timeoutMs} ms`), timeoutMs)
  })
}

/** Reads a finished job's knowledge blob in chunks by offset (a few requests in flight; resumable). */
export async function readKnowledge(s: BoardSession, job: number, total: number, chunk = 2048): Promise<Uint8Array> {
  const blob = new Uint8Array(total)
  const offsets: number[] = []
  for (let o = 0; o < total; o += chunk) offsets.push(o)
  let retries = 0
  const get = async (o: number) => {
    for (;;) {
      try {
        return await s.request('KNOWLEDGE_GET', { job, offset: o, length: chunk }, ['KNOWLEDGE_CHUNK'])
      } catch (e) {
        // The blob stays on the board: after a disconnect, wait for the session and read on.
        if (!(e instanceof AppError) || (e.code !== 'BOARD_DISCONNECTED' && e.code !== 'TIMEOUT') || ++retries > 20) throw e
        await s.ready()
      }
    }
  }
  const worker = async () => {
    for (let o = offsets.shift(); o !== undefined; o = offsets.shift()) {
      const r = await get(o)
      if (r.total !== total || r.offset !== o || r.data.length !== Math.min(chunk, total - o)) {
        throw new AppError('IO_ERROR', `${s.path}: knowledge chunk at ${o} does not fit a ${total}-byte blob`)
      }
      blob.set(r.data, o)
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  return blob
}

/** What a board uploaded for one request: the blob as read, and what the request and ADAPT_DONE bound it to. */
export interface KnowledgeUpload {
  /** The board the session speaks to (HELLO). */
  boardId: string
  blob: Uint8Array
  /** The nonce this request sent. */
  nonce: Uint8Array
  /** SHA-256 (hex) of the blob as ADAPT_DONE announced it; the console's inbox checks the bytes against it. */
  digest: string
  job: number
}

/**
 * Start, wait, read: one board's knowledge upload for one request. Judging it (digest, signature,
 * validation) is the console's knowledge inbox's, on the one path of `diredi/knowledge.ts`.
 */
export async function uploadKnowledge(s: BoardSession, base: Uint8Array, p: AdaptParams, onProgress?: (epoch: number, epochs: number, loss: number) => void): Promise<KnowledgeUpload> {
  const info = await s.ready()
  const { job, nonce } = await startAdaptation(s, base, p)
  const done = await awaitAdaptation(s, job, onProgress)
  const blob = await readKnowledge(s, job, done.bytes)
  return { boardId: info.boardId, blob, nonce, digest: done.digest, job }
}
