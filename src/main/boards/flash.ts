import { sameBytes, sha256 } from '../core/hash'
import { performance } from 'node:perf_hooks'
import type { FlashResult } from '../../shared/api/boards'
import type { SlotName } from '../../shared/wire/messages'
import { AppError } from '../core/errors'
import { boardCodeOf } from './errors'
import { hex, withSlots } from './info'
import type { BoardSession } from './session'

/** K inputs and the console's own int8 reference outputs for them (golden.ts makes them). */
export interface GoldenSet {
  inputs: Int8Array[]
  outputs: Int8Array[]
}

export type FlashPhase = 'connect' | 'transfer' | 'verify' | 'trial' | 'golden' | 'confirm' | 'done'

export interface FlashProgress {
  phase: FlashPhase
  /** Bytes of the artifact the board holds (acknowledged). */
  sent: number
  total: number
  attempt: number
}

export interface FlashOptions {
  golden: GoldenSet
  onProgress?: (p: FlashProgress) => void
  signal?: AbortSignal
  /** Connections to try before giving up (each disconnect costs one). */
  maxAttempts?: number
  /** How long to wait for a lost board to come back before failing. */
  readyTimeoutMs?: number
  /** Largest data per FLASH_DATA frame (the board's chunkMax caps it); halved while the line loses frames. */
  chunkBytes?: number
  /**
   * Trial only: after the golden check, run this on the board's trial model (e.g. its own evaluation,
   * docs/method.md §7 (b)), then REVERT instead of CONFIRM, so the board keeps its confirmed model.
   */
  trialOnly?: (s: BoardSession) => Promise<void>
  /** Stage only: write and verify the inactive slot, boot nothing (a tutor board's copy of the teacher). */
  stageOnly?: boolean
}


/** Errors that a reconnect can cure: the flash continues where it stopped. */
function retryable(e: unknown): boolean {
  return e instanceof AppError && (e.code === 'BOARD_DISCONNECTED' || e.code === 'TIMEOUT')
}

/**
 * Flashes an artifact into a board's inactive slot and makes it the confirmed model, or leaves the
 * previous one running:
 *   FLASH_BEGIN (resumes at the board's offset) -> FLASH_DATA... -> FLASH_END (the board hashes the whole
 *   slot) -> BOOT_TRIAL -> golden vectors (the board's int8 outputs must equal the console's, byte for
 *   byte) -> CONFIRM.
 * A disconnect, reboot or timeout at any point waits for the session to come back and continues from what
 * the board reports (its slots, its write offset); the board itself reverts any trial that is not
 * confirmed. A golden mismatch reverts the trial and fails with VERIFY_FAILED.
 */
export async function flashArtifact(session: BoardSession, artifact: Uint8Array, opts: FlashOptions): Promise<FlashResult> {
  const hash = sha256(artifact)
  const started = performance.now()
  const maxAttempts = opts.maxAttempts ?? 50
  const st = { attempts: 0, resumes: 0, transferMs: 0, verifyFailures: 0, chunk: opts.chunkBytes ?? session.flashChunk, sent: 0, moved: 0 }
  let lastError = ''
  const progress = (phase: FlashPhase) => opts.onProgress?.({ phase, sent: st.sent, total: artifact.length, attempt: st.attempts })
  for (;;) {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', `${session.path}: flash cancelled; the board keeps its confirmed model`)
    if (++st.attempts > maxAttempts) throw new AppError('FLASH_FAILED', `${session.path}: gave up after ${maxAttempts} attempts (last: ${lastError}); the board keeps its confirmed model`)
    progress('connect')
    try {
      await session.ready(opts.readyTimeoutMs ?? 30_000)
    } catch (e) {
      throw new AppError('BOARD_DISCONNECTED', `${(e as Error).message}; the flash stopped: the board keeps its confirmed model, and flashing again resumes the transfer`)
    }
    try {
      const r = await session.exclusive(() => attempt(session, artifact, hash, opts, st, progress))
      return { ...r, attempts: st.attempts, resumes: st.resumes, transferMs: Math.round(st.transferMs), totalMs: Math.round(performance.now() - started) }
    } catch (e) {
      lastError = (e as Error).message
      if (retryable(e)) continue
      if (boardCodeOf(e) === 'VERIFY_FAILED' && ++st.verifyFailures < 3) continue
      throw e
    }
  }
}

type Outcome = Omit<FlashResult, 'attempts' | 'resumes' | 'transferMs' | 'totalMs'>

async function attempt(
  s: BoardSession,
  artifact: Uint8Array,
  hash: Uint8Array,
  opts: FlashOptions,
  st: { resumes: number; transferMs: number; chunk: number; sent: number; moved: number },
  progress: (p: FlashPhase) => void
): Promise<Outcome> {
  const info0 = s.info
  if (!info0) throw new AppError('BOARD_DISCONNECTED', `${s.path}: no handshake yet`)
  let slots = await s.request('SLOTS_GET', {}, ['SLOTS'])
  s.updateInfo(withSlots(info0, slots))
  const result = (slot: SlotName, already: boolean, golden: number): Outcome => {
    const goodput = st.transferMs > 0 && st.moved > 0 ? (st.moved / st.transferMs) * 1000 : 0
    return {
      path: s.path, boardId: info0.boardId, slot, hash: hex(hash), bytes: artifact.length, goldenChecked: golden, alreadyRunning: already,
      goodputBytesPerSec: Math.round(goodput), lineFraction: +(goodput / s.lineBytesPerSec).toFixed(4)
    }
  }
  const slotHash = (n: SlotName) => (n === 'a' ? slots.slotA : slots.slotB)
  if (slots.active !== 'none' && !slots.trial && slots.running === slots.active && sameBytes(slotHash(slots.active).hash, hash)) {
    progress('done')
    return result(slots.active, true, 0)
  }
  if (slots.trial) slots = await s.request('REVERT', {}, ['SLOTS'])
  const target: SlotName = slots.active === 'a' ? 'b' : 'a'

  const begin = await s.request('FLASH_BEGIN', { slot: target, size: artifact.length, hash }, ['FLASH_READY'])
  if (begin.offset > 0 && begin.offset < artifact.length) st.resumes++
  st.sent = begin.offset
  progress('transfer')
  await transfer(s, artifact, target, begin.offset, begin.chunkMax, st, progress)

  progress('verify')
  const end = await s.request('FLASH_END', { slot: target }, ['FLASH_RESULT'])
  if (end.state.state !== 'verified') {
    throw new AppError('BOARD_DISCONNECTED', `${s.path}: slot ${target} holds ${end.state.written} of ${artifact.length} bytes after the transfer; resuming`)
  }

  if (opts.stageOnly) {
    progress('done')
    return result(target, false, 0)
  }

  progress('trial')
  slots = await s.request('BOOT_TRIAL', { slot: target, hash }, ['SLOTS'])
  if (slots.running !== target || !slots.trial) throw new AppError('FLASH_FAILED', `${s.path}: the board did not boot slot ${target} on trial`)

  progress('golden')
  const g = opts.golden
  const outs = await Promise.all(g.inputs.map((input) => s.request('INFER', { input }, ['INFER_RESULT'])))
  for (let i = 0; i < outs.length; i++) {
    const got = outs[i].scores
    const want = g.outputs[i]
    const j = got.length !== want.length ? -1 : got.findIndex((x, k) => x !== want[k])
    if (j !== -1 || outs[i].slot !== target) {
      await s.request('REVERT', {}, ['SLOTS']).catch(() => undefined)
      throw new AppError(
        'VERIFY_FAILED',
        `${s.path}: golden vector ${i}: the board's output differs from the console's int8 reference` +
          (j >= 0 ? ` at score ${j} (board ${got[j]}, reference ${want[j]})` : ` (${got.length} scores, reference ${want.length})`) +
          '; the trial was reverted and the previous model runs',
        { golden: i }
      )
    }
  }

  if (opts.trialOnly) {
    try {
      await opts.trialOnly(s)
    } finally {
      slots = await s.request('REVERT', {}, ['SLOTS'])
      s.updateInfo(withSlots(info0, slots))
    }
    progress('done')
    return result(target, false, g.inputs.length)
  }

  progress('confirm')
  slots = await s.request('CONFIRM', { slot: target, hash }, ['SLOTS'])
  s.updateInfo(withSlots(info0, slots))
  if (slots.active !== target || slots.trial) throw new AppError('FLASH_FAILED', `${s.path}: the board did not confirm slot ${target}`)
  progress('done')
  return result(target, false, g.inputs.length)
}

/**
 * Streams the artifact from `offset`. At most 16 KB (and 12 chunks) are unacknowledged, so the frame
 * size follows what the line does now: the share of our frames that had to be resent over the last few
 * acknowledged chunks halves it (over 15%) or doubles it back (under 3%), between 128 bytes and chunkMax.
 */
const MAX_INFLIGHT = 12
const MAX_INFLIGHT_BYTES = 16 * 1024

async function transfer(
  s: BoardSession,
  artifact: Uint8Array,
  slot: SlotName,
  offset: number,
  chunkMax: number,
  st: { transferMs: number; chunk: number; sent: number; moved: number },
  progress: (p: FlashPhase) => void
): Promise<void> {
  const t0 = performance.now()
  const inflight: Promise<void>[] = []
  let chunk = Math.min(chunkMax, st.chunk)
  let acked = 0
  let mark = { acked: 0, resent: s.counters.retransmits }
  const adapt = () => {
    if (acked - mark.acked < 4) return
    const resent = s.counters.retransmits - mark.resent
    const lossRate = resent / (acked - mark.acked + resent)
    if (lossRate > 0.15) chunk = Math.max(128, chunk >> 1)
    else if (lossRate < 0.03) chunk = Math.min(chunkMax, chunk * 2)
    mark = { acked, resent: s.counters.retransmits }
  }
  try {
    for (let off = offset; off < artifact.length; ) {
      const n = Math.min(chunk, artifact.length - off)
      const end = off + n
      inflight.push(
        s.post('FLASH_DATA', { slot, offset: off, data: artifact.subarray(off, end) }).then(() => {
          acked++
          st.moved += n
          st.sent = Math.max(st.sent, end)
          adapt()
          progress('transfer')
        })
      )
      off = end
      if (inflight.length >= Math.max(4, Math.min(MAX_INFLIGHT, Math.floor(MAX_INFLIGHT_BYTES / chunk)))) await inflight.shift()
    }
    await Promise.all(inflight)
  } finally {
    await Promise.allSettled(inflight)
    st.transferMs += performance.now() - t0
    st.chunk = chunk
    s.flashChunk = chunk
  }
}
