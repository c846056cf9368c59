/**
 * The few protocol-buffer encodings an ONNX file needs (proto2 wire format): varints (int32/int64/enum,
 * negatives as 10-byte two's complement), length-delimited fields (strings, bytes, sub-messages) and
 * fixed32 floats. Fields are written in the order the caller gives; repeated scalars unpacked, which
 * every proto2 parser reads.
 */
const WIRE_VARINT = 0
const WIRE_FIXED32 = 5
const WIRE_LEN = 2

const utf8 = new TextEncoder()

export class ProtoWriter {
  private chunks: Uint8Array[] = []
  private size = 0

  private push(b: Uint8Array): void {
    this.chunks.push(b)
    this.size += b.length
  }

  private rawVarint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v))
    const out: number[] = []
    while (x >= 0x80n) {
      out.push(Number(x & 0x7fn) | 0x80)
      x >>= 7n
    }
    out.push(Number(x))
    this.push(Uint8Array.from(out))
  }

  private tag(field: number, wire: number): void {
    this.rawVarint((field << 3) | wire)
  }

  /** int32, int64, enum, bool: the integer must be exact (a safe integer or a bigint). */
  int(field: number, v: number | bigint): this {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new RangeError(`protobuf field ${field}: ${v} is not an integer`)
    this.tag(field, WIRE_VARINT)
    this.rawVarint(v)
    return this
  }

  ints(field: number, vs: ReadonlyArray<number>): this {
    for (const v of vs) this.int(field, v)
    return this
  }

  float(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32)
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, v, true)
    this.push(b)
    return this
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, WIRE_LEN)
    this.rawVarint(b.length)
    this.push(b)
    return this
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s))
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish())
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size)
    let at = 0
    for (const c of this.chunks) {
      out.set(c, at)
      at += c.length
    }
    return out
  }
}
