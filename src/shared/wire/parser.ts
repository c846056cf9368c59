import { cobsDecode } from './cobs'
import { WireError, type WireErrorCode } from './errors'
import { Frame, MAX_ENCODED_BYTES } from './frame'

/** What a parser has seen since it was made. */
export interface ParserCounters {
  /** Bytes pushed in. */
  bytes: number
  /** Frames that passed every check. */
  frames: number
  /** Frames refused, by reason. */
  errors: Partial<Record<WireErrorCode, number>>
}

/**
 * Splits a byte stream into frames at 0x00 delimiters and checks each one. Garbage, a broken frame or a
 * frame cut by noise costs at most the bytes up to the next delimiter: the parser resynchronises there.
 * Refused frames are reported (and counted) but never delivered. Pure: push bytes in, frames come out.
 */
export class FrameParser {
  private buf: Uint8Array
  private len = 0
  /** True while skipping the rest of an oversized block up to its delimiter. */
  private skipping = false
  readonly counters: ParserCounters = { bytes: 0, frames: 0, errors: {} }

  constructor(
    private readonly onFrame: (f: Frame) => void,
    private readonly onError: (e: WireError) => void = () => undefined,
    private readonly maxEncoded = MAX_ENCODED_BYTES
  ) {
    this.buf = new Uint8Array(Math.min(maxEncoded, 2048))
  }

  push(bytes: Uint8Array): void {
    this.counters.bytes += bytes.length
    let start = 0
    for (;;) {
      const z = bytes.indexOf(0, start)
      const end = z < 0 ? bytes.length : z
      this.append(bytes, start, end)
      if (z < 0) return
      this.endBlock()
      start = z + 1
    }
  }

  /** Forgets a partly received frame (e.g. after the port was reopened). */
  reset(): void {
    this.len = 0
    this.skipping = false
  }

  private append(src: Uint8Array, start: number, end: number): void {
    if (this.skipping || start === end) return
    const n = end - start
    if (this.len + n > this.maxEncoded) {
      this.skipping = true
      this.len = 0
      this.refuse(new WireError('OVERSIZE', `more than ${this.maxEncoded} bytes without a frame delimiter; skipping to the next one`))
      return
    }
    if (this.len + n > this.buf.length) {
      const bigger = new Uint8Array(Math.min(this.maxEncoded, Math.max(this.buf.length * 2, this.len + n)))
      bigger.set(this.buf.subarray(0, this.len))
      this.buf = bigger
    }
    this.buf.set(src.subarray(start, end), this.len)
    this.len += n
  }

  private endBlock(): void {
    const len = this.len
    this.len = 0
    if (this.skipping) {
      this.skipping = false
      return
    }
    if (len === 0) return // back-to-back delimiters: idle fill, not an error
    let frame: Frame
    try {
      frame = Frame.fromBytes(cobsDecode(this.buf, 0, len))
    } catch (e) {
      if (e instanceof WireError) return this.refuse(e)
      throw e
    }
    this.counters.frames++
    this.onFrame(frame)
  }

  private refuse(e: WireError): void {
    this.counters.errors[e.code] = (this.counters.errors[e.code] ?? 0) + 1
    this.onError(e)
  }
}
