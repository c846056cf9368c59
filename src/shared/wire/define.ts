import type { Channel } from './frame'
import type { BoardFieldKind, FieldDef, FieldKind } from './fields'

/** Who may send a message. 'both' is for link-level frames (ACK) that carry no fields. */
export type Sender = 'console' | 'board' | 'both'

export interface MessageDef<N extends string = string, Fs extends readonly FieldDef[] = readonly FieldDef[], S extends Sender = Sender> {
  /** The frame's type code. */
  readonly type: number
  readonly name: N
  readonly from: S
  /** Sent with a sequence number and acknowledged (else best effort). */
  readonly reliable: boolean
  readonly channel: Channel
  /** For replies: the console messages this one answers (its first field is their `rid`). */
  readonly replyTo?: readonly string[]
  readonly fields: Fs
  /** One or two sentences for the protocol document. */
  readonly doc: string
}

interface Opts {
  reliable?: boolean
  channel?: Channel
  replyTo?: readonly string[]
  doc: string
}

/** A message the console sends: may use every field type. */
export function consoleMessage<const N extends string, const Fs extends readonly FieldDef<FieldKind>[]>(type: number, name: N, fields: Fs, o: Opts): MessageDef<N, Fs, 'console'> {
  return { type, name, from: 'console', reliable: o.reliable ?? true, channel: o.channel ?? 'data', replyTo: o.replyTo, fields, doc: o.doc }
}

/** A message a board sends: its fields are limited (by type) to `BoardFieldKind`, which has no sample type. */
export function boardMessage<const N extends string, const Fs extends readonly FieldDef<BoardFieldKind>[]>(type: number, name: N, fields: Fs, o: Opts): MessageDef<N, Fs, 'board'> {
  return { type, name, from: 'board', reliable: o.reliable ?? true, channel: o.channel ?? 'data', replyTo: o.replyTo, fields, doc: o.doc }
}

/** A link-level message either side sends, with no fields. */
export function linkMessage<const N extends string>(type: number, name: N, doc: string): MessageDef<N, readonly [], 'both'> {
  return { type, name, from: 'both', reliable: false, channel: 'data', fields: [], doc }
}

// Field constructors, so that definitions read as a table and keep their literal types.
export const u8 = <const N extends string>(name: N) => ({ name, kind: 'u8' }) as const
export const u16 = <const N extends string>(name: N) => ({ name, kind: 'u16' }) as const
export const u32 = <const N extends string>(name: N) => ({ name, kind: 'u32' }) as const
export const i32 = <const N extends string>(name: N) => ({ name, kind: 'i32' }) as const
export const f32 = <const N extends string>(name: N) => ({ name, kind: 'f32' }) as const
export const bool = <const N extends string>(name: N) => ({ name, kind: 'bool' }) as const
export const text = <const N extends string>(name: N) => ({ name, kind: 'text' }) as const
export const hash = <const N extends string>(name: N) => ({ name, kind: 'hash' }) as const
export const nonce = <const N extends string>(name: N) => ({ name, kind: 'nonce' }) as const
export const counts = <const N extends string>(name: N) => ({ name, kind: 'counts' }) as const
export const slot = <const N extends string>(name: N) => ({ name, kind: 'slot' }) as const
export const enumOf = <const N extends string, const V extends readonly string[]>(name: N, values: V) => ({ name, kind: 'enum', values }) as const
export const knowledgeChunk = <const N extends string>(name: N) => ({ name, kind: 'knowledgeChunk' }) as const
export const replyScores = <const N extends string>(name: N) => ({ name, kind: 'replyScores' }) as const
export const inputTensor = <const N extends string>(name: N) => ({ name, kind: 'inputTensor' }) as const
export const artifactChunk = <const N extends string>(name: N) => ({ name, kind: 'artifactChunk' }) as const
export const key = <const N extends string>(name: N) => ({ name, kind: 'key' }) as const
