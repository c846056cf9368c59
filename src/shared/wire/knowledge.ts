import { Reader, Writer } from './bytes'
import { WireError } from './errors'
import { HASH_BYTES, NONCE_BYTES } from './fields'
import { utf8Decode, utf8Encode } from './utf8'

/**
 * The knowledge blob a board uploads after adaptation (docs/method.md §3): parameter deltas and aggregate
 * figures, never data. Layout (little-endian), then a 32-byte HMAC-SHA256 tag over every byte before it,
 * keyed with the board's key provisioned at pairing (PAIR):
 *
 *   "DRDK" | u8 format (1) | text boardId | hash base (32) | nonce (16)
 *   u8 layers (0 head, 1 all, 2 tutor: tensors in the teacher's weight space) | u16 epochs | f32 lr | f32 mu | f32 clip | f32 sigma
 *   u32 nTrain | u32 nTest | u16 k, k x u32 classCounts | f32 accBefore | f32 accAfter | f32 deltaNorm
 *   u16 t, then t tensors: text name | u8 rank | rank x u32 dims | prod(dims) x f32 values
 *   tag (32)
 *
 * `text` is a u8 length and UTF-8 bytes. Tensor names are the model's weight names (`${layer}/kernel`,
 * `${layer}/bias`, spec.ts), holding theta_adapted - theta_dispatched for the adapted layers only.
 */
export const KNOWLEDGE_MAGIC = [0x44, 0x52, 0x44, 0x4b] // "DRDK"
export const KNOWLEDGE_FORMAT = 1
export const TAG_BYTES = 32
/** Bounds a decoder enforces before allocating anything. */
export const KNOWLEDGE_LIMITS = { maxTensors: 256, maxRank: 4, maxValues: 4_000_000, maxClasses: 1000 }

export interface KnowledgeTensor {
  name: string
  shape: number[]
  values: Float32Array
}

export interface KnowledgeBody {
  boardId: string
  /** SHA-256 of the dispatched artifact the delta is relative to. */
  base: Uint8Array
  /** The console's nonce from ADAPT_START. */
  nonce: Uint8Array
  layers: 'head' | 'all' | 'tutor'
  epochs: number
  lr: number
  mu: number
  /** L2 clip bound C (0: no clipping). */
  clip: number
  /** Gaussian noise multiplier sigma (0: no noise); the noise's std is sigma * clip. */
  sigma: number
  /** |U_b^train| */
  nTrain: number
  /** |U_b^test| */
  nTest: number
  /** Per class, how many training samples the board holds. */
  classCounts: number[]
  /** Accuracy on U_b^test of the dispatched model and of the adapted one. */
  accBefore: number
  accAfter: number
  /** L2 norm of all deltas together, as uploaded. */
  deltaNorm: number
  tensors: KnowledgeTensor[]
}

export interface SignedKnowledge {
  body: KnowledgeBody
  /** The bytes the tag covers. */
  signed: Uint8Array
  tag: Uint8Array
}

/** Encodes the body; the caller appends HMAC-SHA256(key, result) to make the blob. */
export function encodeKnowledgeBody(k: KnowledgeBody): Uint8Array {
  const w = new Writer(64)
  w.bytes(Uint8Array.from(KNOWLEDGE_MAGIC))
  w.u8(KNOWLEDGE_FORMAT)
  text(w, 'boardId', k.boardId)
  if (k.base.length !== HASH_BYTES || k.nonce.length !== NONCE_BYTES) throw new WireError('BAD_VALUE', 'knowledge base must be 32 bytes and nonce 16')
  w.bytes(k.base)
  w.bytes(k.nonce)
  w.u8(k.layers === 'tutor' ? 2 : k.layers === 'all' ? 1 : 0)
  w.u16(k.epochs)
  for (const x of [k.lr, k.mu, k.clip, k.sigma]) w.f32(x)
  w.u32(k.nTrain)
  w.u32(k.nTest)
  w.u16(k.classCounts.length)
  for (const c of k.classCounts) w.u32(c)
  for (const x of [k.accBefore, k.accAfter, k.deltaNorm]) w.f32(x)
  w.u16(k.tensors.length)
  for (const t of k.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1)
    if (n !== t.values.length) throw new WireError('BAD_VALUE', `knowledge tensor ${t.name}: shape [${t.shape}] holds ${n} values, got ${t.values.length}`)
    text(w, 'tensor name', t.name)
    w.u8(t.shape.length)
    for (const d of t.shape) w.u32(d)
    const bytes = new Uint8Array(n * 4)
    const v = new DataView(bytes.buffer)
    for (let i = 0; i < n; i++) v.setFloat32(i * 4, t.values[i], true)
    w.bytes(bytes)
  }
  return w.done()
}

/** Splits and decodes a blob (body + tag). Throws WireError BAD_PAYLOAD saying what is wrong; checks no signature. */
export function decodeKnowledge(blob: Uint8Array): SignedKnowledge {
  if (blob.length < TAG_BYTES + 8) throw new WireError('BAD_PAYLOAD', `knowledge blob of ${blob.length} bytes is too short`)
  const signed = blob.subarray(0, blob.length - TAG_BYTES)
  const tag = blob.slice(blob.length - TAG_BYTES)
  const r = new Reader(signed, 'knowledge')
  const magic = r.bytes(4, 'magic')
  if (magic.some((b, i) => b !== KNOWLEDGE_MAGIC[i])) throw new WireError('BAD_PAYLOAD', 'not a knowledge blob (magic is not "DRDK")')
  const format = r.u8('format')
  if (format !== KNOWLEDGE_FORMAT) throw new WireError('BAD_PAYLOAD', `knowledge format ${format} is not supported (this console reads ${KNOWLEDGE_FORMAT})`)
  const boardId = readText(r, 'boardId')
  const base = r.bytes(HASH_BYTES, 'base')
  const nonce = r.bytes(NONCE_BYTES, 'nonce')
  const layersByte = r.u8('layers')
  if (layersByte > 2) throw new WireError('BAD_PAYLOAD', `knowledge.layers: ${layersByte} is none of head (0), all (1), tutor (2)`)
  const epochs = r.u16('epochs')
  const [lr, mu, clip, sigma] = [r.f32('lr'), r.f32('mu'), r.f32('clip'), r.f32('sigma')]
  const nTrain = r.u32('nTrain')
  const nTest = r.u32('nTest')
  const k = r.u16('classCounts')
  if (k > KNOWLEDGE_LIMITS.maxClasses) throw new WireError('BAD_PAYLOAD', `knowledge.classCounts: ${k} classes is over ${KNOWLEDGE_LIMITS.maxClasses}`)
  r.need(k * 4, 'classCounts')
  const classCounts = Array.from({ length: k }, () => r.u32('classCounts'))
  const [accBefore, accAfter, deltaNorm] = [r.f32('accBefore'), r.f32('accAfter'), r.f32('deltaNorm')]
  const t = r.u16('tensors')
  if (t > KNOWLEDGE_LIMITS.maxTensors) throw new WireError('BAD_PAYLOAD', `knowledge: ${t} tensors is over ${KNOWLEDGE_LIMITS.maxTensors}`)
  const tensors: KnowledgeTensor[] = []
  let total = 0
  for (let i = 0; i < t; i++) {
    const name = readText(r, 'tensor name')
    const rank = r.u8('rank')
    if (rank < 1 || rank > KNOWLEDGE_LIMITS.maxRank) throw new WireError('BAD_PAYLOAD', `knowledge tensor ${name}: rank ${rank} is not 1..${KNOWLEDGE_LIMITS.maxRank}`)
    const shape = Array.from({ length: rank }, () => r.u32('dims'))
    const n = shape.reduce((a, b) => a * b, 1)
    total += n
    if (total > KNOWLEDGE_LIMITS.maxValues) throw new WireError('BAD_PAYLOAD', `knowledge: more than ${KNOWLEDGE_LIMITS.maxValues} values`)
    const raw = r.bytes(n * 4, `${name} values`)
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
    const values = new Float32Array(n)
    for (let j = 0; j < n; j++) values[j] = dv.getFloat32(j * 4, true)
    tensors.push({ name, shape, values })
  }
  r.end()
  const body: KnowledgeBody = {
    boardId, base, nonce, layers: layersByte === 2 ? 'tutor' : layersByte === 1 ? 'all' : 'head', epochs, lr, mu, clip, sigma,
    nTrain, nTest, classCounts, accBefore, accAfter, deltaNorm, tensors
  }
  return { body, signed, tag }
}

function text(w: Writer, what: string, s: string): void {
  const b = utf8Encode(s)
  if (b.length > 255) throw new WireError('BAD_VALUE', `knowledge ${what} is over 255 UTF-8 bytes`)
  w.u8(b.length)
  w.bytes(b)
}

function readText(r: Reader, what: string): string {
  const s = utf8Decode(r.bytes(r.u8(what), what))
  if (s === null) throw new WireError('BAD_PAYLOAD', `knowledge ${what} is not valid UTF-8`)
  return s
}
