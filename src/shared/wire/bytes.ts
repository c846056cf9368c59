import { WireError } from './errors'

/** Appends little-endian values to a growing buffer. */
export class Writer {
  private buf = new Uint8Array(64)
  private view = new DataView(this.buf.buffer)
  len = 0

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n))
    b.set(this.buf.subarray(0, this.len))
    this.buf = b
    this.view = new DataView(b.buffer)
  }
  u8(x: number) { this.room(1); this.view.setUint8(this.len, x); this.len += 1 }
  u16(x: number) { this.room(2); this.view.setUint16(this.len, x, true); this.len += 2 }
  u32(x: number) { this.room(4); this.view.setUint32(this.len, x, true); this.len += 4 }
  i32(x: number) { this.room(4); this.view.setInt32(this.len, x, true); this.len += 4 }
  f32(x: number) { this.room(4); this.view.setFloat32(this.len, x, true); this.len += 4 }
  bytes(b: Uint8Array) { this.room(b.length); this.buf.set(b, this.len); this.len += b.length }
  done(): Uint8Array { return this.buf.slice(0, this.len) }
}

/** Reads little-endian values; every read checks the bytes are there. */
export class Reader {
  private at = 0
  private readonly view: DataView
  constructor(private readonly b: Uint8Array, private readonly what: string) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  }
  get offset(): number {
    return this.at
  }
  get left(): number {
    return this.b.length - this.at
  }
  need(n: number, field: string): void {
    if (this.at + n > this.b.length) throw new WireError('BAD_PAYLOAD', `${this.what}.${field}: needs ${n} more bytes, ${this.b.length - this.at} left`)
  }
  u8(f: string) { this.need(1, f); return this.view.getUint8(this.at++) }
  u16(f: string) { this.need(2, f); const x = this.view.getUint16(this.at, true); this.at += 2; return x }
  u32(f: string) { this.need(4, f); const x = this.view.getUint32(this.at, true); this.at += 4; return x }
  i32(f: string) { this.need(4, f); const x = this.view.getInt32(this.at, true); this.at += 4; return x }
  f32(f: string) { this.need(4, f); const x = this.view.getFloat32(this.at, true); this.at += 4; return x }
  bytes(n: number, f: string) { this.need(n, f); const x = this.b.slice(this.at, this.at + n); this.at += n; return x }
  end(): void {
    if (this.at !== this.b.length) throw new WireError('BAD_PAYLOAD', `${this.what}: ${this.b.length - this.at} bytes left over after the last field`)
  }
}
