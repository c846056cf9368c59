import type { MessageDef } from './define'
import { HASH_BYTES, KEY_BYTES, NONCE_BYTES, type FieldDef } from './fields'

/**
 * A valid value for every field of a message, varied by `salt`: lets tests and fuzzers build any message
 * from its definition alone (so a new message is covered without writing its sample by hand).
 */
export function sampleValue(def: MessageDef, salt = 1): Record<string, unknown> {
  const v: Record<string, unknown> = {}
  def.fields.forEach((f, i) => (v[f.name] = sampleField(f, salt + i)))
  return v
}

function bytes(n: number, salt: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + salt * 7 + 1) & 0xff)
}

function sampleField(f: FieldDef, s: number): unknown {
  switch (f.kind) {
    case 'u8': return (s * 37) & 0xff
    case 'u16': return (s * 4099) & 0xffff
    case 'u32': return (s * 2654435761) >>> 0
    case 'i32': return -((s * 7919) | 0) - 1
    case 'f32': return Math.fround(s * 0.3125 - 1.5)
    case 'bool': return s % 2 === 0
    case 'enum': return (f.values ?? [])[s % (f.values ?? []).length]
    case 'text': return `é-${s}-ok`
    case 'hash': return bytes(HASH_BYTES, s)
    case 'nonce': return bytes(NONCE_BYTES, s)
    case 'key': return bytes(KEY_BYTES, s)
    case 'counts': return Array.from({ length: 10 }, (_, i) => i * s)
    case 'slot': return { state: 'writing', size: 1000 + s, written: s, hash: bytes(HASH_BYTES, s) }
    case 'knowledgeChunk':
    case 'artifactChunk': return bytes(3 + (s % 5), s)
    case 'replyScores':
    case 'inputTensor': return Int8Array.from(bytes(4 + (s % 3), s))
  }
}
