import { createReadStream, promises as fs } from 'node:fs'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { fsErrorToApp } from '../../core/errors'
import { badData } from './errors'

/**
 * Reads a file front to back in exact-size pieces, decompressing it on the fly when it starts with the
 * gzip magic bytes (1f 8b). `offset` counts bytes of the (decompressed) content consumed so far, which
 * is what error messages point at.
 */
export class ByteReader {
  offset = 0
  private chunk: Uint8Array = new Uint8Array(0)
  private pos = 0
  private done = false
  private readonly it: AsyncIterator<Buffer>

  private constructor(
    readonly path: string,
    readonly gzip: boolean,
    private readonly stream: Readable
  ) {
    this.it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  }

  static async open(path: string): Promise<ByteReader> {
    let magic: Uint8Array
    try {
      const fh = await fs.open(path, 'r')
      try {
        magic = new Uint8Array(2)
        const { bytesRead } = await fh.read(magic, 0, 2, 0)
        magic = magic.subarray(0, bytesRead)
      } finally {
        await fh.close()
      }
    } catch (e) {
      throw fsErrorToApp(e, path) ?? e
    }
    const gzip = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b
    const raw = createReadStream(path, { highWaterMark: 1 << 20 })
    const stream = gzip ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw
    if (gzip) raw.on('error', (e) => stream.destroy(e))
    return new ByteReader(path, gzip, stream)
  }

  /** Where `offset` is, in words: "byte 16" or "byte 16 of the decompressed data". */
  where(offset = this.offset): string {
    return `byte ${offset}${this.gzip ? ' of the decompressed data' : ''}`
  }

  /** Fills `dst` from the stream; returns how many bytes it got (fewer than asked only at the end). */
  async readInto(dst: Uint8Array): Promise<number> {
    let filled = 0
    while (filled < dst.length) {
      if (this.pos >= this.chunk.length) {
        if (!(await this.pull())) break
      }
      const n = Math.min(dst.length - filled, this.chunk.length - this.pos)
      dst.set(this.chunk.subarray(this.pos, this.pos + n), filled)
      this.pos += n
      filled += n
    }
    this.offset += filled
    return filled
  }

  /** How many bytes are left after the current position (reads, and drops, the rest). */
  async drainCount(): Promise<number> {
    let n = this.chunk.length - this.pos
    this.pos = this.chunk.length
    while (await this.pull()) {
      n += this.chunk.length
      this.pos = this.chunk.length
    }
    return n
  }

  close(): void {
    this.stream.destroy()
  }

  private async pull(): Promise<boolean> {
    if (this.done) return false
    let r: IteratorResult<Buffer>
    try {
      r = await this.it.next()
    } catch (e) {
      const fsErr = fsErrorToApp(e, this.path)
      if (fsErr) throw fsErr
      if (this.gzip) {
        throw badData(this.path, this.where(), `the gzip data is damaged or cut short (${(e as Error).message})`, 'download or copy the file again')
      }
      throw e
    }
    if (r.done) {
      this.done = true
      return false
    }
    this.chunk = r.value
    this.pos = 0
    return true
  }
}
