import { WireError } from './errors'

/** The shared little-endian writer (src/shared/bytes/writer.ts). */
export { ByteWriter as Writer } from '../bytes/writer'

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
