import { describe, expect, it } from 'vitest'
import { utf8Decode, utf8Encode } from './utf8'

describe('utf8', () => {
  it('encodes 1- to 4-byte characters as the standard says', () => {
    expect([...utf8Encode('aé€😀')]).toEqual([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80])
    expect(utf8Decode(utf8Encode('aé€😀 board-7'))).toBe('aé€😀 board-7')
  })

  it('refuses truncated, overlong, surrogate and out-of-range sequences', () => {
    for (const bad of [[0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0x80], [0xc3, 0x28]]) {
      expect(utf8Decode(Uint8Array.from(bad))).toBeNull()
    }
  })
})
