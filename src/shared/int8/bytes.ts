/** Little-endian writer and bounds-checked reader for the artifact format. */
import { ArtifactError } from './errors'

export { ByteWriter } from '../bytes/writer'

export class ByteReader {
  at = 0
  private readonly view: DataView

  constructor(private readonly b: Uint8Array, private readonly end: number) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  }

  need(n: number, field: string): void {
    if (this.at + n > this.end) throw new ArtifactError('MALFORMED', `${field} at byte ${this.at} needs ${n} bytes, but only ${this.end - this.at} are left before the CRC`)
  }
  u8(f: string): number { this.need(1, f); return this.view.getUint8(this.at++) }
  i8(f: string): number { this.need(1, f); return this.view.getInt8(this.at++) }
  u16(f: string): number { this.need(2, f); const x = this.view.getUint16(this.at, true); this.at += 2; return x }
  u32(f: string): number { this.need(4, f); const x = this.view.getUint32(this.at, true); this.at += 4; return x }
  f32(f: string): number { this.need(4, f); const x = this.view.getFloat32(this.at, true); this.at += 4; return x }
  int8s(n: number, f: string): Int8Array {
    this.need(n, f)
    const out = new Int8Array(n)
    out.set(new Int8Array(this.b.buffer, this.b.byteOffset + this.at, n))
    this.at += n
    return out
  }
  int32s(n: number, f: string): Int32Array {
    this.need(4 * n, f)
    const out = new Int32Array(n)
    for (let i = 0; i < n; i++, this.at += 4) out[i] = this.view.getInt32(this.at, true)
    return out
  }
  float32s(n: number, f: string): Float32Array {
    this.need(4 * n, f)
    const out = new Float32Array(n)
    for (let i = 0; i < n; i++, this.at += 4) out[i] = this.view.getFloat32(this.at, true)
    return out
  }
  /** Reserved bytes must be zero: the encoding is canonical, so the same model always hashes the same. */
  zeros(n: number, f: string): void {
    this.need(n, f)
    for (let i = 0; i < n; i++) {
      if (this.b[this.at + i] !== 0) throw new ArtifactError('MALFORMED', `${f} at byte ${this.at + i} must be 0, got ${this.b[this.at + i]}`)
    }
    this.at += n
  }
  align4(f: string): void { this.zeros((4 - (this.at % 4)) % 4, f) }
}
