import { describe, expect, it } from 'vitest'
import { cobsDecode, cobsEncode, cobsMaxEncoded } from './cobs'
import { WireError } from './errors'

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16))
const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => (from + i) & 0xff)
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]))

// The examples of the COBS article (Cheshire and Baker; Wikipedia "Consistent Overhead Byte Stuffing").
const VECTORS: Array<[Uint8Array, Uint8Array]> = [
  [hex('00'), hex('0101')],
  [hex('0000'), hex('010101')],
  [hex('001100'), hex('01021101')],
  [hex('11220033'), hex('0311220233')],
  [hex('11223344'), hex('0511223344')],
  [hex('11000000'), hex('0211010101')],
  [range(0x01, 0xfe), cat(hex('ff'), range(0x01, 0xfe))],
  [range(0x00, 0xfe), cat(hex('01ff'), range(0x01, 0xfe))],
  [range(0x01, 0xff), cat(hex('ff'), range(0x01, 0xfe), hex('02ff'))],
  [cat(range(0x02, 0xff), hex('00')), cat(hex('ff'), range(0x02, 0xff), hex('0101'))],
  [cat(range(0x03, 0xff), hex('0001')), cat(hex('fe'), range(0x03, 0xff), hex('0201'))]
]

describe('COBS', () => {
  it('encodes the reference vectors byte for byte and decodes them back', () => {
    for (const [plain, enc] of VECTORS) {
      expect([...cobsEncode(plain)]).toEqual([...enc])
      expect([...cobsDecode(enc)]).toEqual([...plain])
    }
  })

  it('never emits 0x00 and stays within the size bound', () => {
    let seed = 1
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff
    for (let n = 0; n < 700; n += 7) {
      const plain = Uint8Array.from({ length: n }, () => (rnd() < 40 ? 0 : rnd()))
      const enc = cobsEncode(plain)
      expect(enc.includes(0)).toBe(false)
      expect(enc.length).toBeLessThanOrEqual(cobsMaxEncoded(n))
      expect([...cobsDecode(enc)]).toEqual([...plain])
    }
    expect([...cobsEncode(new Uint8Array(0))]).toEqual([1])
    expect(cobsDecode(new Uint8Array(0)).length).toBe(0)
  })

  it('refuses a code byte that runs past the end', () => {
    expect(() => cobsDecode(hex('0511'))).toThrow(WireError)
    try {
      cobsDecode(hex('051122'))
    } catch (e) {
      expect((e as WireError).code).toBe('COBS_INVALID')
    }
  })

  it('refuses a 0x00 inside a block, as data or as a code', () => {
    for (const bad of [hex('031100'), hex('00'), hex('0211' + '00' + '01')]) {
      expect(() => cobsDecode(bad)).toThrowError(expect.objectContaining({ code: 'COBS_INVALID' }) as Error)
    }
  })
})
