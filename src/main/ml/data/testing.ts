import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { gzipSync } from 'node:zlib'
import { encode as encodeJpeg } from 'jpeg-js'
import { PNG } from 'pngjs'
import { encodeIdx } from './idx'

/** Test helpers: write small IDX, PNG and JPEG files. */

export function writeIdxFile(path: string, type: 0x08 | 0x0c | 0x0d, dims: number[], data: ArrayLike<number>, gz = false): Uint8Array {
  const typed = type === 0x08 ? Uint8Array.from(data) : type === 0x0c ? Int32Array.from(data) : Float32Array.from(data)
  const bytes = encodeIdx(type, dims, typed)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, gz ? gzipSync(bytes) : bytes)
  return bytes
}

/** Raw IDX bytes with any header (for bad files the encoder would not write). */
export function idxBytes(magic: number[], dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length)
  out.set(magic, 0)
  const v = new DataView(out.buffer)
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false))
  out.set(data, 4 + 4 * dims.length)
  return out
}

/** `pixel(x, y)` -> [r, g, b]; written as an RGBA PNG. */
export function writePng(path: string, w: number, h: number, pixel: (x: number, y: number) => [number, number, number]): void {
  const png = new PNG({ width: w, height: h })
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = pixel(x, y)
      png.data.set([r, g, b, 255], 4 * (y * w + x))
    }
  }
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, PNG.sync.write(png))
}

export function writeJpeg(path: string, w: number, h: number, pixel: (x: number, y: number) => [number, number, number]): void {
  const data = new Uint8Array(w * h * 4)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([...pixel(x, y), 255], 4 * (y * w + x))
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, encodeJpeg({ width: w, height: h, data }, 95).data)
}
