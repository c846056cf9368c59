import { describe, expect, it } from 'vitest'
import { ProtoWriter } from './protobuf'

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ')

describe('protobuf writer', () => {
  it('encodes the wire format of the protobuf documentation examples', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('08 96 01')
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67')
    expect(hex(new ProtoWriter().message(3, new ProtoWriter().int(1, 150)).finish())).toBe('1a 03 08 96 01')
  })

  it('writes negative int64 as ten bytes of two complement, and floats as fixed32', () => {
    expect(hex(new ProtoWriter().int(1, -1).finish())).toBe('08 ff ff ff ff ff ff ff ff ff 01')
    expect(hex(new ProtoWriter().int(1, 2n ** 40n).finish())).toBe('08 80 80 80 80 80 20')
    expect(hex(new ProtoWriter().float(5, 1).finish())).toBe('2d 00 00 80 3f')
    expect(hex(new ProtoWriter().ints(8, [1, 2]).finish())).toBe('40 01 40 02')
    expect(() => new ProtoWriter().int(1, 1.5)).toThrow(RangeError)
  })
})
