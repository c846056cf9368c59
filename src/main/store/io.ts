import { promises as fs } from 'node:fs'

/**
 * The registry's lowest seam: how entry files are created and written. Production uses the file
 * system directly; tests wrap it to make a write fail with ENOSPC or to pause between chunks while a
 * child process is killed. Everything above it (staging, renames, sweeping) is the real code.
 */
export interface WriteSink {
  write(chunk: Uint8Array): Promise<void>
  /** Flushes the file's data to the device (fsync). */
  sync(): Promise<void>
  close(): Promise<void>
}

export interface StoreIo {
  /** Creates a new file (fails if it exists) for writing. */
  create(path: string): Promise<WriteSink>
}

/** Bytes handed to the sink per write: large enough to be fast, small enough to fail early on a full disk. */
export const CHUNK_BYTES = 4 << 20

export const nodeIo: StoreIo = {
  async create(path) {
    const fh = await fs.open(path, 'wx', 0o644)
    return {
      async write(chunk) {
        let off = 0
        while (off < chunk.byteLength) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off)
          off += bytesWritten
        }
      },
      sync: () => fh.sync(),
      close: () => fh.close()
    }
  }
}

/** A file's content as one or more byte views (typed arrays are written through their bytes, little-endian). */
export type FileBody = Uint8Array | ArrayBufferView | Array<Uint8Array | ArrayBufferView>

export function asBytes(v: ArrayBufferView): Uint8Array {
  return v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
}

/** Writes a whole new file through the seam in CHUNK_BYTES pieces, fsyncs and closes it. */
export async function writeBody(io: StoreIo, path: string, body: FileBody | string): Promise<void> {
  const parts = typeof body === 'string' ? [new TextEncoder().encode(body)] : Array.isArray(body) ? body.map(asBytes) : [asBytes(body)]
  const sink = await io.create(path)
  try {
    for (const p of parts) {
      for (let off = 0; off < p.byteLength; off += CHUNK_BYTES) {
        await sink.write(p.subarray(off, Math.min(p.byteLength, off + CHUNK_BYTES)))
      }
    }
    await sink.sync()
  } finally {
    await sink.close()
  }
}
