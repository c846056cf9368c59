import { cobsEncodeInto, cobsMaxEncoded } from './cobs'
import { crc32 } from '../checksum/crc32'
import { WireError } from './errors'

/**
 * One frame on the line. Layout before byte stuffing (all integers little-endian):
 *
 *   off  size  field
 *   0    1     version   protocol version of the sender's session (1..255; 0 is invalid)
 *   1    1     type      message type code (see messages.ts)
 *   2    1     flags     bit0 RELIABLE (has a sequence number, must be acknowledged)
 *                        bit1 ACK (the ack and sack fields are valid)
 *                        bits2-3 channel: 0 data, 1 log; bits4-7 reserved, 0
 *   3    1     epoch     low byte of the session id from HELLO; 0 outside a session
 *   4    2     seq       sequence number of a RELIABLE frame (else 0)
 *   6    2     ack       next sequence number the sender expects from its peer
 *   8    4     sack      bit i set: the sender also holds frame ack+1+i (selective acknowledgement)
 *   12   2     len       payload length in bytes (0..MAX_PAYLOAD)
 *   14   len   payload
 *   14+len 4   crc       CRC-32 (crc32.ts) over bytes 0 .. 14+len-1
 *
 * On the line: COBS(frame) followed by one 0x00 delimiter. This header layout is frozen for every
 * protocol version, so that two sides of different versions can always exchange HELLO and see the skew.
 */
export const HEADER_BYTES = 14
export const CRC_BYTES = 4
/** The largest payload of any frame. Receivers drop longer frames without reading them. */
export const MAX_PAYLOAD = 4096
export const MAX_FRAME_BYTES = HEADER_BYTES + MAX_PAYLOAD + CRC_BYTES
/** The largest number of bytes between two delimiters on the line. */
export const MAX_ENCODED_BYTES = cobsMaxEncoded(MAX_FRAME_BYTES)

export const FLAG_RELIABLE = 0x01
export const FLAG_ACK = 0x02
const CHANNEL_SHIFT = 2
const RESERVED_FLAGS = 0xf0

export const CHANNELS = ['data', 'log'] as const
export type Channel = (typeof CHANNELS)[number]

export interface FrameFields {
  version: number
  type: number
  reliable: boolean
  /** Whether `ack` and `sack` carry acknowledgement information. */
  hasAck: boolean
  channel: Channel
  epoch: number
  seq: number
  ack: number
  sack: number
  payload: Uint8Array
}

/** An immutable frame: built from fields, or read from bytes with its CRC checked. */
export class Frame implements Readonly<FrameFields> {
  readonly version: number
  readonly type: number
  readonly reliable: boolean
  readonly hasAck: boolean
  readonly channel: Channel
  readonly epoch: number
  readonly seq: number
  readonly ack: number
  readonly sack: number
  readonly payload: Uint8Array

  constructor(f: FrameFields) {
    checkUint('version', f.version, 1, 0xff)
    checkUint('type', f.type, 0, 0xff)
    checkUint('epoch', f.epoch, 0, 0xff)
    checkUint('seq', f.seq, 0, 0xffff)
    checkUint('ack', f.ack, 0, 0xffff)
    checkUint('sack', f.sack, 0, 0xffffffff)
    if (f.payload.length > MAX_PAYLOAD) throw new WireError('BAD_VALUE', `payload of ${f.payload.length} bytes is over the ${MAX_PAYLOAD}-byte limit`)
    this.version = f.version
    this.type = f.type
    this.reliable = f.reliable
    this.hasAck = f.hasAck
    this.channel = f.channel
    this.epoch = f.epoch
    this.seq = f.seq
    this.ack = f.ack
    this.sack = f.sack >>> 0
    this.payload = f.payload
  }

  /** Header, payload and CRC, before byte stuffing. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(HEADER_BYTES + this.payload.length + CRC_BYTES)
    const v = new DataView(out.buffer)
    out[0] = this.version
    out[1] = this.type
    out[2] = (this.reliable ? FLAG_RELIABLE : 0) | (this.hasAck ? FLAG_ACK : 0) | (CHANNELS.indexOf(this.channel) << CHANNEL_SHIFT)
    out[3] = this.epoch
    v.setUint16(4, this.seq, true)
    v.setUint16(6, this.ack, true)
    v.setUint32(8, this.sack, true)
    v.setUint16(12, this.payload.length, true)
    out.set(this.payload, HEADER_BYTES)
    v.setUint32(HEADER_BYTES + this.payload.length, crc32(out, 0, HEADER_BYTES + this.payload.length), true)
    return out
  }

  /** The bytes to put on the line: COBS(frame) and the 0x00 delimiter. */
  toLine(): Uint8Array {
    const raw = this.toBytes()
    const out = new Uint8Array(cobsMaxEncoded(raw.length) + 1)
    const end = cobsEncodeInto(raw, out)
    out[end] = 0
    return out.subarray(0, end + 1)
  }

  /** Reads a frame (already un-stuffed). Throws WireError TOO_SHORT, LENGTH_MISMATCH, CRC_MISMATCH, BAD_VERSION or BAD_FLAGS. */
  static fromBytes(bytes: Uint8Array): Frame {
    if (bytes.length < HEADER_BYTES + CRC_BYTES) {
      throw new WireError('TOO_SHORT', `frame of ${bytes.length} bytes is shorter than a header and CRC (${HEADER_BYTES + CRC_BYTES})`)
    }
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const len = v.getUint16(12, true)
    if (HEADER_BYTES + len + CRC_BYTES !== bytes.length) {
      throw new WireError('LENGTH_MISMATCH', `header says ${len} payload bytes but the frame holds ${bytes.length - HEADER_BYTES - CRC_BYTES}`)
    }
    const want = v.getUint32(HEADER_BYTES + len, true)
    const got = crc32(bytes, 0, HEADER_BYTES + len)
    if (want !== got) throw new WireError('CRC_MISMATCH', `CRC-32 is 0x${got.toString(16)}, frame says 0x${want.toString(16)}`)
    if (bytes[0] === 0) throw new WireError('BAD_VERSION', 'protocol version 0 is invalid')
    const flags = bytes[2]
    const ch = (flags >> CHANNEL_SHIFT) & 0x03
    if (flags & RESERVED_FLAGS || ch >= CHANNELS.length) throw new WireError('BAD_FLAGS', `flags 0x${flags.toString(16)} set reserved bits or an unknown channel`)
    return new Frame({
      version: bytes[0],
      type: bytes[1],
      reliable: (flags & FLAG_RELIABLE) !== 0,
      hasAck: (flags & FLAG_ACK) !== 0,
      channel: CHANNELS[ch],
      epoch: bytes[3],
      seq: v.getUint16(4, true),
      ack: v.getUint16(6, true),
      sack: v.getUint32(8, true),
      payload: bytes.slice(HEADER_BYTES, HEADER_BYTES + len)
    })
  }
}

function checkUint(name: string, x: number, min: number, max: number): void {
  if (!Number.isInteger(x) || x < min || x > max) throw new WireError('BAD_VALUE', `${name} must be an integer in [${min}, ${max}], got ${x}`)
}
