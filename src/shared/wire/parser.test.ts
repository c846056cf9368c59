import { describe, expect, it } from 'vitest'
import { cobsEncode } from './cobs'
import type { WireError } from './errors'
import { Frame } from './frame'
import { FrameParser } from './parser'

const frame = (type: number, payload: number[]) =>
  new Frame({ version: 1, type, reliable: false, hasAck: false, channel: 'data', epoch: 0, seq: 0, ack: 0, sack: 0, payload: Uint8Array.from(payload) })
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]))

function collect(maxEncoded?: number) {
  const frames: Frame[] = []
  const errors: WireError[] = []
  const p = new FrameParser((f) => frames.push(f), (e) => errors.push(e), maxEncoded)
  return { p, frames, errors, types: () => frames.map((f) => f.type), codes: () => errors.map((e) => e.code) }
}

describe('FrameParser', () => {
  it('delivers back-to-back frames from one chunk and from single bytes', () => {
    const line = cat(frame(1, [1, 2, 3]).toLine(), frame(2, []).toLine(), frame(3, [0, 0, 0]).toLine())
    const a = collect()
    a.p.push(line)
    expect(a.types()).toEqual([1, 2, 3])
    const b = collect()
    for (const x of line) b.p.push(Uint8Array.of(x))
    expect(b.types()).toEqual([1, 2, 3])
    expect([...b.frames[2].payload]).toEqual([0, 0, 0])
    expect(b.p.counters).toEqual({ bytes: line.length, frames: 3, errors: {} })
  })

  it('ignores idle delimiters without counting them as errors', () => {
    const c = collect()
    c.p.push(cat(Uint8Array.of(0, 0, 0), frame(7, [9]).toLine(), Uint8Array.of(0, 0)))
    expect(c.types()).toEqual([7])
    expect(c.errors).toEqual([])
  })

  it('resynchronises after garbage: the frame glued to garbage is lost, the next one is read', () => {
    const c = collect()
    const garbage = Uint8Array.of(0x55, 0xaa, 0x13, 0x37, 0xff)
    c.p.push(cat(garbage, frame(1, [1]).toLine(), frame(2, [2]).toLine()))
    expect(c.types()).toEqual([2])
    expect(c.errors.length).toBe(1)
    const d = collect()
    d.p.push(cat(garbage, Uint8Array.of(0), frame(1, [1]).toLine()))
    expect(d.types()).toEqual([1])
    expect(d.codes().length).toBe(1)
  })

  it('counts a corrupted frame by its code and keeps going', () => {
    const c = collect()
    const raw = frame(1, [1, 2, 3, 4]).toBytes()
    raw[15] ^= 0x40 // a payload bit: the stuffing stays valid, the CRC does not
    const bad = cat(cobsEncode(raw), Uint8Array.of(0))
    c.p.push(cat(bad, frame(2, [5]).toLine()))
    expect(c.types()).toEqual([2])
    expect(c.codes()).toEqual(['CRC_MISMATCH'])
    expect(c.p.counters.errors).toEqual({ CRC_MISMATCH: 1 })
  })

  it('reports COBS, short and length errors', () => {
    const c = collect()
    c.p.push(Uint8Array.of(0x09, 0x01, 0x02, 0x00)) // code runs past the block
    c.p.push(cat(cobsEncode(Uint8Array.of(1, 2, 3)), Uint8Array.of(0))) // too short
    const raw = frame(1, [1, 2]).toBytes()
    c.p.push(cat(cobsEncode(raw.subarray(0, raw.length - 1)), Uint8Array.of(0))) // length disagrees
    expect(c.codes()).toEqual(['COBS_INVALID', 'TOO_SHORT', 'LENGTH_MISMATCH'])
    expect(c.frames).toEqual([])
  })

  it('skips an oversized run to its delimiter, then reads on', () => {
    const c = collect(64)
    c.p.push(new Uint8Array(50).fill(7))
    c.p.push(new Uint8Array(50).fill(7))
    c.p.push(new Uint8Array(500).fill(7))
    c.p.push(cat(Uint8Array.of(0), frame(4, [4]).toLine()))
    expect(c.codes()).toEqual(['OVERSIZE'])
    expect(c.types()).toEqual([4])
  })

  it('forgets a partial frame on reset', () => {
    const c = collect()
    const line = frame(1, [1, 2, 3]).toLine()
    c.p.push(line.subarray(0, 5))
    c.p.reset()
    c.p.push(frame(2, [2]).toLine())
    expect(c.types()).toEqual([2])
    expect(c.errors).toEqual([])
  })
})
