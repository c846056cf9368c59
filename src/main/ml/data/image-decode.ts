import { decode as decodeJpeg } from 'jpeg-js'
import { PNG } from 'pngjs'
import { badData } from './errors'

/** A decoded image: width x height pixels, 4 bytes each (RGBA, 8 bits per channel). */
export interface Rgba {
  width: number
  height: number
  data: Uint8Array
}

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff

/**
 * Decodes a PNG or JPEG file's bytes, recognised by their magic bytes (not the extension). 16-bit PNGs
 * are scaled to 8 bits. Anything else, or a damaged file, is DATASET_INVALID naming the file.
 */
export function decodeImage(path: string, bytes: Uint8Array): Rgba {
  const kind = isPng(bytes) ? 'PNG' : isJpeg(bytes) ? 'JPEG' : null
  if (!kind) throw badData(path, 'byte 0', 'is neither a PNG nor a JPEG image (its first bytes are not a PNG or JPEG signature)', 'replace it with a PNG or JPEG, or remove it')
  try {
    if (kind === 'PNG') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) }
    }
    const img = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 })
    return { width: img.width, height: img.height, data: img.data }
  } catch (e) {
    throw badData(path, undefined, `cannot be decoded as ${kind} (${(e as Error).message})`, 'the file is damaged: replace it or remove it')
  }
}
