/**
 * The closed set of field types a message may declare. Every message of the protocol is a fixed list of
 * named fields of these types; nothing else can be put in a payload.
 *
 * Privacy is a property of this set: the types that can hold an input sample ('inputTensor') or a
 * secret ('key'), or bulk model bytes ('artifactChunk'), are console-only. A message sent by a board
 * can only use `BoardFieldKind`, which has no sample type; its one per-sample type, 'replyScores', is
 * allowed only in a reply to a console message that carries the input ('inputTensor') it answers.
 */
export const SCALAR_KINDS = ['u8', 'u16', 'u32', 'i32', 'f32', 'bool'] as const
export type ScalarKind = (typeof SCALAR_KINDS)[number]

/** Field types a board may send. */
export const BOARD_FIELD_KINDS = [
  ...SCALAR_KINDS,
  'enum', // u8 index into the field's declared values
  'text', // UTF-8, u8 length prefix, at most 255 bytes: ids, versions, human messages
  'hash', // 32 bytes: a SHA-256 digest
  'nonce', // 16 bytes
  'counts', // u16 n, then n x u32: aggregate counters (class counts, histogram bins)
  'slot', // a model slot's state: state u8, size u32, written u32, hash 32 bytes
  'knowledgeChunk', // u16 n, then n bytes: part of a signed knowledge blob (parameters, never data)
  'replyScores' // u16 n, then n x int8: the scores answering one console-sent input (reply only)
] as const
export type BoardFieldKind = (typeof BOARD_FIELD_KINDS)[number]

/** Field types only the console may send. */
export const CONSOLE_ONLY_FIELD_KINDS = [
  'inputTensor', // u16 n, then n x int8: one quantised input sample
  'artifactChunk', // u16 n, then n bytes: part of a model artifact
  'key' // 32 bytes: a per-board secret, sent once at pairing
] as const
export type ConsoleOnlyFieldKind = (typeof CONSOLE_ONLY_FIELD_KINDS)[number]

export type FieldKind = BoardFieldKind | ConsoleOnlyFieldKind

/** Kinds whose values are int8 or byte vectors of a length given on the wire. */
export const VECTOR_KINDS: readonly FieldKind[] = ['knowledgeChunk', 'replyScores', 'inputTensor', 'artifactChunk']

export const SLOT_STATES = ['empty', 'writing', 'verified', 'trial', 'confirmed', 'bad'] as const
export type SlotState = (typeof SLOT_STATES)[number]

/** A model slot as a board reports it. */
export interface SlotInfo {
  state: SlotState
  /** Size of the artifact being written or held, bytes (0 when empty). */
  size: number
  /** Bytes written so far from offset 0 (equal to size once complete). */
  written: number
  /** SHA-256 of the artifact the slot holds or is being written with (zeros when empty). */
  hash: Uint8Array
}

export interface FieldDef<K extends FieldKind = FieldKind> {
  readonly name: string
  readonly kind: K
  /** For 'enum': the values, by index. */
  readonly values?: readonly string[]
}

export interface KindValue {
  u8: number
  u16: number
  u32: number
  i32: number
  f32: number
  bool: boolean
  enum: string
  text: string
  hash: Uint8Array
  nonce: Uint8Array
  key: Uint8Array
  counts: number[]
  slot: SlotInfo
  knowledgeChunk: Uint8Array
  artifactChunk: Uint8Array
  replyScores: Int8Array
  inputTensor: Int8Array
}

/** The TypeScript value of one field definition (enums as their string literal union). */
export type FieldValue<F extends FieldDef> = F extends { kind: 'enum'; values: readonly (infer V)[] } ? V : KindValue[F['kind']]

/** The decoded value of a list of field definitions. */
export type FieldsValue<Fs extends readonly FieldDef[]> = { [F in Fs[number] as F['name']]: FieldValue<F> }

export const HASH_BYTES = 32
export const NONCE_BYTES = 16
export const KEY_BYTES = 32
