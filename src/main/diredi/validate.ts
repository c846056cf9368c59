import { createHmac, timingSafeEqual } from 'node:crypto'
import { decodeKnowledge, type SignedKnowledge } from '../../shared/wire/knowledge'
import { sha256Hex } from '../core/hash'

/** Why knowledge was refused (docs/method.md §4). */
export type RejectCode = 'DIGEST_MISMATCH' | 'MALFORMED' | 'UNKNOWN_BOARD' | 'BAD_SIGNATURE' | 'UNKNOWN_BASE' | 'BAD_SHAPE' | 'NON_FINITE' | 'NORM_TOO_LARGE' | 'REPLAY' | 'NO_SAMPLES'

export type Verdict = { ok: true; knowledge: SignedKnowledge; norm: number } | { ok: false; code: RejectCode; reason: string }

export interface InboxContext {
  /** The key provisioned at pairing for a board, or null for a board the console never paired. */
  keyOf(boardId: string): Uint8Array | null
  /** For a base model's SHA-256 (hex): the shape of every weight tensor by name; null if unknown. */
  shapesOf(baseHex: string): Map<string, number[]> | null
  /** Nonces (hex) whose knowledge was already accepted. */
  seen(nonceHex: string): boolean
  /** Largest L2 norm of a delta the console accepts. */
  maxNorm: number
}

/** What the request that asked for a message binds it to; `digest` is the SHA-256 (hex) ADAPT_DONE announced. */
export interface Expectation {
  boardId: string
  nonce: Uint8Array
  /** The base model the request named (its SHA-256); absent: any base the console dispatched. */
  base?: Uint8Array
  digest?: string
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const no = (code: RejectCode, reason: string): Verdict => ({ ok: false, code, reason })

/**
 * Step 4 (docs/method.md §4) as a pure decision: it never throws and changes nothing. Knowledge passes
 * only if its bytes hash to the digest the board announced (when the request knows it), it decodes, names a paired board whose key verifies its HMAC, is relative to a base model the console
 * dispatched, holds tensors of that model's names and shapes, holds only finite numbers, has a delta norm
 * within the limit (and equal to what it states), carries a nonce never accepted before, and counts at
 * least one training sample; and, given the request, names its board, nonce and base.
 */
export function validateKnowledge(blob: Uint8Array, ctx: InboxContext, expect?: Expectation): Verdict {
  if (expect?.digest !== undefined) {
    const got = sha256Hex(blob)
    if (got !== expect.digest.toLowerCase()) return no('DIGEST_MISMATCH', `the ${blob.length} bytes read back hash to ${got.slice(0, 12)}, the board announced ${expect.digest.slice(0, 12)} (corrupted on the board or on the way); ask the board again`)
  }
  let k: SignedKnowledge
  try {
    k = decodeKnowledge(blob)
  } catch (e) {
    return no('MALFORMED', `does not decode: ${e instanceof Error ? e.message : String(e)}`)
  }
  const { body } = k
  const key = ctx.keyOf(body.boardId)
  if (!key) return no('UNKNOWN_BOARD', `board ${JSON.stringify(body.boardId)} is not paired with this console`)
  const mac = createHmac('sha256', key).update(k.signed).digest()
  if (k.tag.length !== mac.length || !timingSafeEqual(mac, Buffer.from(k.tag))) return no('BAD_SIGNATURE', `the signature does not verify with board ${body.boardId}'s key`)
  const shapes = ctx.shapesOf(hex(body.base))
  if (!shapes) return no('UNKNOWN_BASE', `base model ${hex(body.base).slice(0, 12)} was never dispatched by this console`)
  if (!body.tensors.length) return no('BAD_SHAPE', 'holds no tensor')
  const names = new Set<string>()
  let sq = 0
  for (const t of body.tensors) {
    const want = shapes.get(t.name)
    if (!want) return no('BAD_SHAPE', `tensor ${t.name} is not a weight of the base model`)
    if (names.has(t.name)) return no('BAD_SHAPE', `tensor ${t.name} appears twice`)
    names.add(t.name)
    if (want.length !== t.shape.length || want.some((d, i) => d !== t.shape[i])) return no('BAD_SHAPE', `tensor ${t.name} has shape [${t.shape}], the base model's is [${want}]`)
    for (let i = 0; i < t.values.length; i++) {
      const v = t.values[i]
      if (!Number.isFinite(v)) return no('NON_FINITE', `tensor ${t.name} holds ${v} at ${i}`)
      sq += v * v
    }
  }
  for (const [f, v] of Object.entries({ lr: body.lr, mu: body.mu, clip: body.clip, sigma: body.sigma, accBefore: body.accBefore, accAfter: body.accAfter, deltaNorm: body.deltaNorm })) {
    if (!Number.isFinite(v)) return no('NON_FINITE', `${f} is ${v}`)
  }
  const norm = Math.sqrt(sq)
  if (norm > ctx.maxNorm) return no('NORM_TOO_LARGE', `delta norm ${norm.toPrecision(4)} is over the limit ${ctx.maxNorm}`)
  if (Math.abs(norm - body.deltaNorm) > 1e-3 * Math.max(1, norm)) return no('BAD_SHAPE', `states delta norm ${body.deltaNorm} but its tensors' norm is ${norm.toPrecision(6)}`)
  if (ctx.seen(hex(body.nonce))) return no('REPLAY', `nonce ${hex(body.nonce).slice(0, 12)} was already used: a replay`)
  if (body.nTrain === 0) return no('NO_SAMPLES', 'the board trained on no samples (n_b = 0)')
  if (expect) {
    if (body.boardId !== expect.boardId) return no('REPLAY', `names board ${body.boardId}, but was read from ${expect.boardId}`)
    if (hex(body.nonce) !== hex(expect.nonce)) return no('REPLAY', `carries nonce ${hex(body.nonce).slice(0, 12)}, not this request's ${hex(expect.nonce).slice(0, 12)}: a replay`)
    if (expect.base && hex(body.base) !== hex(expect.base)) return no('UNKNOWN_BASE', `is relative to base model ${hex(body.base).slice(0, 12)}, not this request's ${hex(expect.base).slice(0, 12)}`)
  }
  return { ok: true, knowledge: k, norm }
}

export interface InboxEntry {
  boardId: string | null
  at: string
  accepted: boolean
  code?: RejectCode
  reason?: string
  bytes: number
}

/**
 * The console's knowledge inbox for one round: every message is judged by `validateKnowledge`; an
 * accepted one is kept and its nonce burned (so a replay is refused), a refused one is logged with its
 * reason and changes nothing else.
 */
export class KnowledgeInbox {
  private readonly nonces = new Set<string>()
  readonly accepted: SignedKnowledge[] = []
  readonly log: InboxEntry[] = []

  constructor(private readonly ctx: Omit<InboxContext, 'seen'>) {}

  /**
   * Judges one message. `expect` binds it to the request that asked for it: bytes that do not hash to
   * the announced digest are refused first; knowledge naming another board, or carrying another nonce than
   * the one the console sent, is refused as a replay; knowledge about another base than the request's as
   * an unknown base.
   */
  submit(blob: Uint8Array, expect?: Expectation): Verdict {
    const v = validateKnowledge(blob, { ...this.ctx, seen: (n) => this.nonces.has(n) }, expect)
    const at = new Date().toISOString()
    if (v.ok) {
      this.nonces.add(hex(v.knowledge.body.nonce))
      this.accepted.push(v.knowledge)
      this.log.push({ boardId: v.knowledge.body.boardId, at, accepted: true, bytes: blob.length })
    } else {
      this.log.push({ boardId: expect?.boardId ?? null, at, accepted: false, code: v.code, reason: v.reason, bytes: blob.length })
    }
    return v
  }

  /** Records a message that never reached judgement (the upload itself failed), with its reason. */
  failed(boardId: string, reason: string): void {
    this.log.push({ boardId, at: new Date().toISOString(), accepted: false, code: 'MALFORMED', reason, bytes: 0 })
  }
}
