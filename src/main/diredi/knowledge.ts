import { uploadKnowledge, type AdaptParams } from '../boards/knowledge'
import type { BoardSession } from '../boards/session'
import type { SignedKnowledge } from '../../shared/wire/knowledge'
import type { KnowledgeInbox, Verdict } from './validate'

/** The inbox's verdict on one upload, with the bytes as read (the ledger and the report count them). */
export type Collected = Verdict & { blob: Uint8Array }

/**
 * The one knowledge path (docs/method.md §3 and §4), for rounds, experiments and tests alike: the board
 * adapts and uploads (start, wait, read), then the inbox judges the bytes against the request: the digest
 * ADAPT_DONE announced, the signature with the board's key, the base and nonce the request named, then
 * the validation of step 4. A refusal is a verdict with a code and a reason and changes nothing; an
 * upload that fails on the line throws (the caller records it as `inbox.failed`).
 */
export async function collectKnowledge(s: BoardSession, inbox: KnowledgeInbox, base: Uint8Array, p: AdaptParams, onProgress?: (epoch: number, epochs: number) => void): Promise<Collected> {
  const up = await uploadKnowledge(s, base, p, onProgress)
  const v = inbox.submit(up.blob, { boardId: up.boardId, nonce: up.nonce, base, digest: up.digest })
  return { ...v, blob: up.blob }
}

/** The parameter difference a knowledge message carries, by tensor name. */
export const deltaOf = (k: SignedKnowledge) => new Map(k.body.tensors.map((t) => [t.name, Float32Array.from(t.values)]))
