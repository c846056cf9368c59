import type { MessageDef } from './define'
import { WireError } from './errors'
import { HASH_BYTES, KEY_BYTES, NONCE_BYTES, SLOT_STATES, type FieldDef, type SlotInfo } from './fields'
import { MAX_PAYLOAD } from './frame'
import { Reader, Writer } from './bytes'
import { utf8Decode, utf8Encode } from './utf8'
import { MESSAGE_BY_TYPE, MESSAGES, type AnyMessage, type MessageName, type MessageValue } from './messages'


function bad(msg: string, f: FieldDef, why: string): never {
  throw new WireError('BAD_VALUE', `${msg}.${f.name}: ${why}`)
}

function intIn(msg: string, f: FieldDef, x: unknown, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) bad(msg, f, `must be an integer in [${min}, ${max}], got ${String(x)}`)
  return x
}

function fixed(msg: string, f: FieldDef, x: unknown, n: number): Uint8Array {
  if (!(x instanceof Uint8Array) || x.length !== n) bad(msg, f, `must be ${n} bytes`)
  return x
}

function vector(msg: string, f: FieldDef, x: unknown, int8: boolean): Uint8Array {
  const ok = int8 ? x instanceof Int8Array : x instanceof Uint8Array
  if (!ok) bad(msg, f, `must be ${int8 ? 'an Int8Array' : 'a Uint8Array'}`)
  const v = x as Uint8Array | Int8Array
  if (v.length > 0xffff) bad(msg, f, `${v.length} elements is over 65535`)
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
}

function writeField(w: Writer, msg: string, f: FieldDef, x: unknown): void {
  switch (f.kind) {
    case 'u8': return w.u8(intIn(msg, f, x, 0, 0xff))
    case 'u16': return w.u16(intIn(msg, f, x, 0, 0xffff))
    case 'u32': return w.u32(intIn(msg, f, x, 0, 0xffffffff))
    case 'i32': return w.i32(intIn(msg, f, x, -0x80000000, 0x7fffffff))
    case 'f32':
      if (typeof x !== 'number') bad(msg, f, 'must be a number')
      return w.f32(x)
    case 'bool':
      if (typeof x !== 'boolean') bad(msg, f, 'must be true or false')
      return w.u8(x ? 1 : 0)
    case 'enum': {
      const i = (f.values ?? []).indexOf(x as string)
      if (i < 0) bad(msg, f, `must be one of ${(f.values ?? []).join(', ')}, got ${String(x)}`)
      return w.u8(i)
    }
    case 'text': {
      if (typeof x !== 'string') bad(msg, f, 'must be a string')
      const b = utf8Encode(x)
      if (b.length > 255) bad(msg, f, `is ${b.length} UTF-8 bytes, over 255`)
      w.u8(b.length)
      return w.bytes(b)
    }
    case 'hash': return w.bytes(fixed(msg, f, x, HASH_BYTES))
    case 'nonce': return w.bytes(fixed(msg, f, x, NONCE_BYTES))
    case 'key': return w.bytes(fixed(msg, f, x, KEY_BYTES))
    case 'counts': {
      if (!Array.isArray(x) || x.length > 0xffff) bad(msg, f, 'must be an array of at most 65535 counts')
      w.u16(x.length)
      for (const c of x) w.u32(intIn(msg, f, c, 0, 0xffffffff))
      return
    }
    case 'slot': {
      const s = x as SlotInfo
      const st = SLOT_STATES.indexOf(s?.state)
      if (st < 0) bad(msg, f, `state must be one of ${SLOT_STATES.join(', ')}`)
      w.u8(st)
      w.u32(intIn(msg, f, s.size, 0, 0xffffffff))
      w.u32(intIn(msg, f, s.written, 0, 0xffffffff))
      return w.bytes(fixed(msg, f, s.hash, HASH_BYTES))
    }
    case 'knowledgeChunk':
    case 'artifactChunk':
    case 'replyScores':
    case 'inputTensor': {
      const b = vector(msg, f, x, f.kind === 'replyScores' || f.kind === 'inputTensor')
      w.u16(b.length)
      return w.bytes(b)
    }
  }
}

function readField(r: Reader, f: FieldDef): unknown {
  const n = f.name
  switch (f.kind) {
    case 'u8': return r.u8(n)
    case 'u16': return r.u16(n)
    case 'u32': return r.u32(n)
    case 'i32': return r.i32(n)
    case 'f32': return r.f32(n)
    case 'bool': {
      const b = r.u8(n)
      if (b > 1) throw new WireError('BAD_PAYLOAD', `${n}: a bool must be 0 or 1, got ${b}`)
      return b === 1
    }
    case 'enum': {
      const i = r.u8(n)
      const v = f.values?.[i]
      if (v === undefined) throw new WireError('BAD_PAYLOAD', `${n}: enum index ${i} is not one of the ${f.values?.length ?? 0} values`)
      return v
    }
    case 'text': {
      const s = utf8Decode(r.bytes(r.u8(n), n))
      if (s === null) throw new WireError('BAD_PAYLOAD', `${n}: text is not valid UTF-8`)
      return s
    }
    case 'hash': return r.bytes(HASH_BYTES, n)
    case 'nonce': return r.bytes(NONCE_BYTES, n)
    case 'key': return r.bytes(KEY_BYTES, n)
    case 'counts': {
      const len = r.u16(n)
      r.need(len * 4, n)
      const out: number[] = []
      for (let i = 0; i < len; i++) out.push(r.u32(n))
      return out
    }
    case 'slot': {
      const st = r.u8(n)
      const state = SLOT_STATES[st]
      if (state === undefined) throw new WireError('BAD_PAYLOAD', `${n}: slot state ${st} is unknown`)
      const size = r.u32(n)
      const written = r.u32(n)
      if (written > size) throw new WireError('BAD_PAYLOAD', `${n}: ${written} bytes written of a ${size}-byte slot`)
      return { state, size, written, hash: r.bytes(HASH_BYTES, n) } satisfies SlotInfo
    }
    case 'knowledgeChunk':
    case 'artifactChunk':
      return r.bytes(r.u16(n), n)
    case 'replyScores':
    case 'inputTensor': {
      const b = r.bytes(r.u16(n), n)
      return new Int8Array(b.buffer, b.byteOffset, b.length)
    }
  }
}

/** Encodes a message's fields into a payload. Throws WireError BAD_VALUE naming the field that is wrong. */
export function encodePayload<N extends MessageName>(name: N, value: MessageValue<N>): Uint8Array {
  const def: MessageDef = MESSAGES[name]
  const w = new Writer(64)
  const rec = value as Record<string, unknown>
  for (const f of def.fields) writeField(w, name, f, rec[f.name])
  if (w.len > MAX_PAYLOAD) throw new WireError('BAD_VALUE', `${name}: payload of ${w.len} bytes is over the ${MAX_PAYLOAD}-byte frame limit`)
  return w.done()
}

/** Decodes the payload of a frame of type `type`. Throws WireError UNKNOWN_TYPE or BAD_PAYLOAD. */
export function decodePayload(type: number, payload: Uint8Array): AnyMessage {
  const def = MESSAGE_BY_TYPE.get(type)
  if (!def) throw new WireError('UNKNOWN_TYPE', `no message has type 0x${type.toString(16).padStart(2, '0')}`)
  const r = new Reader(payload, def.name)
  const value: Record<string, unknown> = {}
  for (const f of def.fields) value[f.name] = readField(r, f)
  r.end()
  return { name: def.name, value } as AnyMessage
}
