/**
 * Appends little-endian values to a growing buffer: the one writer behind the wire protocol's payloads and
 * the int8 artifact format (their readers differ: each reports malformed input with its own error).
 */
export class ByteWriter {
  private buf: Uint8Array
  private view: DataView
  len = 0

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity)
    this.view = new DataView(this.buf.buffer)
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n))
    b.set(this.buf.subarray(0, this.len))
    this.buf = b
    this.view = new DataView(b.buffer)
  }
  u8(x: number): void { this.room(1); this.view.setUint8(this.len, x); this.len += 1 }
  i8(x: number): void { this.room(1); this.view.setInt8(this.len, x); this.len += 1 }
  u16(x: number): void { this.room(2); this.view.setUint16(this.len, x, true); this.len += 2 }
  u32(x: number): void { this.room(4); this.view.setUint32(this.len, x, true); this.len += 4 }
  i32(x: number): void { this.room(4); this.view.setInt32(this.len, x, true); this.len += 4 }
  f32(x: number): void { this.room(4); this.view.setFloat32(this.len, x, true); this.len += 4 }
  bytes(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.len); this.len += b.length }
  int8s(a: Int8Array): void { this.room(a.length); this.buf.set(new Uint8Array(a.buffer, a.byteOffset, a.length), this.len); this.len += a.length }
  int32s(a: Int32Array): void { this.room(4 * a.length); for (const x of a) { this.view.setInt32(this.len, x, true); this.len += 4 } }
  float32s(a: Float32Array): void { this.room(4 * a.length); for (const x of a) { this.view.setFloat32(this.len, x, true); this.len += 4 } }
  zeros(n: number): void { for (let i = 0; i < n; i++) this.u8(0) }
  /** Zero bytes up to the next multiple of 4. */
  align4(): void { while (this.len % 4) this.u8(0) }
  /** Overwrites a u32 written earlier (record lengths, the file length). */
  patchU32(at: number, x: number): void { this.view.setUint32(at, x, true) }
  done(): Uint8Array { return this.buf.slice(0, this.len) }
}
