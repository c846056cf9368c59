import { describe, expect, it } from 'vitest'
import { decodePayload, encodePayload } from './codec'
import { WireError } from './errors'
import { MAX_PAYLOAD } from './frame'
import { MESSAGE_LIST, MESSAGES, type MessageName, type MessageValue } from './messages'
import { sampleValue } from './testing'

const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16))

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof WireError) return e.code
    throw e
  }
  return 'none'
}

const enc = <N extends MessageName>(n: N, v: Record<string, unknown>) => encodePayload(n, v as MessageValue<N>)

describe('message codec', () => {
  it('round-trips every message of the protocol', () => {
    for (const def of MESSAGE_LIST) {
      for (const salt of [1, 2, 9]) {
        const value = sampleValue(def, salt)
        const back = decodePayload(def.type, enc(def.name as MessageName, value))
        expect(back.name).toBe(def.name)
        expect(back.value).toEqual(value)
      }
    }
  })

  it('writes fields in order, little-endian, byte for byte', () => {
    const p = encodePayload('FLASH_READY', { rid: 0x1234, slot: 'b', offset: 0x01020304, chunkMax: 1024 })
    expect(toHex(p)).toBe('3412' + '01' + '04030201' + '0004')
    const log = encodePayload('LOG', { level: 'warn', uptimeMs: 1, text: 'hé' })
    expect(toHex(log)).toBe('02' + '01000000' + '03' + '68c3a9')
    const res = encodePayload('INFER_RESULT', { rid: 1, slot: 'a', class: 3, scores: Int8Array.of(-128, 127, -1), latencyUs: 250 })
    expect(toHex(res)).toBe('0100' + '01' + '0300' + '0300' + '807fff' + 'fa000000')
  })

  it('refuses unknown types and payloads that do not fit their fields', () => {
    expect(codeOf(() => decodePayload(0xee, new Uint8Array(0)))).toBe('UNKNOWN_TYPE')
    const t = MESSAGES.FLASH_READY.type
    const good = hex('3412' + '01' + '04030201' + '0004')
    expect(codeOf(() => decodePayload(t, good.subarray(0, 8)))).toBe('BAD_PAYLOAD') // short
    expect(codeOf(() => decodePayload(t, hex(toHex(good) + '00')))).toBe('BAD_PAYLOAD') // trailing
    expect(codeOf(() => decodePayload(t, hex('3412' + '07' + '04030201' + '0004')))).toBe('BAD_PAYLOAD') // enum index
    expect(codeOf(() => decodePayload(MESSAGES.HELLO_INFO.type, hex('00'.repeat(4) + '0101' + '01' + '02c328')))).toBe('BAD_PAYLOAD') // bad UTF-8
    const slots = encodePayload('SLOTS', sampleValue(MESSAGES.SLOTS) as MessageValue<'SLOTS'>)
    const badBool = slots.slice()
    badBool[4] = 2
    expect(codeOf(() => decodePayload(MESSAGES.SLOTS.type, badBool))).toBe('BAD_PAYLOAD')
    const badState = slots.slice()
    badState[5] = 99
    expect(codeOf(() => decodePayload(MESSAGES.SLOTS.type, badState))).toBe('BAD_PAYLOAD')
    const overWritten = slots.slice()
    new DataView(overWritten.buffer).setUint32(10, 0xffffffff, true) // written > size
    expect(codeOf(() => decodePayload(MESSAGES.SLOTS.type, overWritten))).toBe('BAD_PAYLOAD')
    const counts = encodePayload('EVAL_REPORT', sampleValue(MESSAGES.EVAL_REPORT) as MessageValue<'EVAL_REPORT'>)
    expect(codeOf(() => decodePayload(MESSAGES.EVAL_REPORT.type, counts.subarray(0, 14)))).toBe('BAD_PAYLOAD')
  })

  it('refuses values out of range for their field when encoding, naming the field', () => {
    const base = sampleValue(MESSAGES.FLASH_BEGIN)
    expect(codeOf(() => enc('FLASH_BEGIN', { ...base, size: -1 }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('FLASH_BEGIN', { ...base, size: 1.5 }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('FLASH_BEGIN', { ...base, rid: 0x10000 }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('FLASH_BEGIN', { ...base, slot: 'c' }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('FLASH_BEGIN', { ...base, hash: new Uint8Array(31) }))).toBe('BAD_VALUE')
    expect(() => enc('FLASH_BEGIN', { ...base, hash: new Uint8Array(31) })).toThrow(/FLASH_BEGIN\.hash/)
    expect(codeOf(() => enc('LOG', { level: 'info', uptimeMs: 0, text: 'x'.repeat(256) }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('LOG', { level: 'info', uptimeMs: 0, text: 5 }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('INFER', { rid: 1, input: new Uint8Array(3) }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('INFER', { rid: 1, input: new Int8Array(MAX_PAYLOAD) }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('EVAL_REPORT', { ...sampleValue(MESSAGES.EVAL_REPORT), classCounts: [1, -2] }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('ADAPT_START', { ...sampleValue(MESSAGES.ADAPT_START), lr: '0.1' }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('SLOTS', { ...sampleValue(MESSAGES.SLOTS), trial: 1 }))).toBe('BAD_VALUE')
    expect(codeOf(() => enc('SLOTS', { ...sampleValue(MESSAGES.SLOTS), slotA: { state: 'gone', size: 0, written: 0, hash: new Uint8Array(32) } }))).toBe('BAD_VALUE')
  })

  it('has unique type codes and names', () => {
    expect(new Set(MESSAGE_LIST.map((m) => m.type)).size).toBe(MESSAGE_LIST.length)
    expect(new Set(MESSAGE_LIST.map((m) => m.name)).size).toBe(MESSAGE_LIST.length)
  })
})
