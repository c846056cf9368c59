import { describe, expect, it } from 'vitest'
import { crc32 } from './crc32'

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))

describe('crc32', () => {
  it('matches the IEEE check value and known vectors', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array(0))).toBe(0)
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339)
    expect(crc32(new Uint8Array(32))).toBe(0x190a55ad)
  })

  it('covers exactly the range it is given', () => {
    const b = ascii('xx123456789yy')
    expect(crc32(b, 2, 11)).toBe(0xcbf43926)
  })
})
