import { describe, expect, it } from 'vitest'
import { cobsEncode } from './cobs'
import { WireError } from './errors'
import { Frame, HEADER_BYTES, MAX_PAYLOAD, type FrameFields } from './frame'

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16))
const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')

const fields: FrameFields = {
  version: 1,
  type: 0x13,
  reliable: true,
  hasAck: true,
  channel: 'data',
  epoch: 0x2a,
  seq: 0x0102,
  ack: 0x0304,
  sack: 0x80000001,
  payload: hex('001122')
}
// Computed independently (Python: struct.pack('<BBBBHHIH', ...) + zlib.crc32).
const RAW = '0113032a02010403010000800300001122b2514de7'
const LINE = '0a0113032a0201040301010380030107' + '1122b2514de7' + '00'

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof WireError) return e.code
    throw e
  }
  return 'none'
}

describe('Frame', () => {
  it('writes the documented layout byte for byte, and the line form is COBS plus 0x00', () => {
    const f = new Frame(fields)
    expect(toHex(f.toBytes())).toBe(RAW)
    expect(toHex(f.toLine())).toBe(LINE)
    expect(toHex(f.toLine())).toBe(toHex(cobsEncode(hex(RAW))) + '00')
  })

  it('reads back what it wrote, channel and flags included', () => {
    const back = Frame.fromBytes(hex(RAW))
    expect({ ...back, payload: [...back.payload] }).toEqual({ ...fields, payload: [0, 0x11, 0x22] })
    const log = Frame.fromBytes(new Frame({ ...fields, reliable: false, hasAck: false, channel: 'log', payload: new Uint8Array(0) }).toBytes())
    expect([log.reliable, log.hasAck, log.channel, log.payload.length]).toEqual([false, false, 'log', 0])
  })

  it('refuses short, mis-sized, corrupt, version-0 and reserved-flag frames with their codes', () => {
    const raw = hex(RAW)
    expect(codeOf(() => Frame.fromBytes(raw.subarray(0, HEADER_BYTES + 3)))).toBe('TOO_SHORT')
    expect(codeOf(() => Frame.fromBytes(raw.subarray(0, raw.length - 1)))).toBe('LENGTH_MISMATCH')
    for (let i = 0; i < raw.length; i++) {
      const bad = raw.slice()
      bad[i] ^= 0x10
      expect(['CRC_MISMATCH', 'LENGTH_MISMATCH']).toContain(codeOf(() => Frame.fromBytes(bad)))
    }
    const v0 = new Frame(fields).toBytes()
    v0[0] = 0
    expect(codeOf(() => Frame.fromBytes(withCrc(v0)))).toBe('BAD_VERSION')
    const flags = new Frame(fields).toBytes()
    flags[2] |= 0x40
    expect(codeOf(() => Frame.fromBytes(withCrc(flags)))).toBe('BAD_FLAGS')
    const channel = new Frame(fields).toBytes()
    channel[2] |= 0x0c
    expect(codeOf(() => Frame.fromBytes(withCrc(channel)))).toBe('BAD_FLAGS')
  })

  it('refuses out-of-range fields when built', () => {
    expect(codeOf(() => new Frame({ ...fields, version: 0 }))).toBe('BAD_VALUE')
    expect(codeOf(() => new Frame({ ...fields, seq: 0x10000 }))).toBe('BAD_VALUE')
    expect(codeOf(() => new Frame({ ...fields, sack: -1 }))).toBe('BAD_VALUE')
    expect(codeOf(() => new Frame({ ...fields, payload: new Uint8Array(MAX_PAYLOAD + 1) }))).toBe('BAD_VALUE')
    expect(new Frame({ ...fields, payload: new Uint8Array(MAX_PAYLOAD) }).toBytes().length).toBe(MAX_PAYLOAD + 18)
  })
})

/** Rewrites the CRC so that a deliberately wrong field reaches the later checks. */
function withCrc(b: Uint8Array): Uint8Array {
  const n = b.length - 4
  let c = 0xffffffff
  for (let i = 0; i < n; i++) {
    c ^= b[i]
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  }
  new DataView(b.buffer, b.byteOffset).setUint32(n, (c ^ 0xffffffff) >>> 0, true)
  return b
}
