import { WireError } from './errors'

/**
 * Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999). The encoded form holds no 0x00 byte, so
 * 0x00 can delimit frames on the line and a receiver resynchronises at the next 0x00 after any garbage.
 * Overhead: at most 1 byte per 254 bytes of input, plus 1.
 */

/** Largest encoded size of `n` input bytes (without the delimiter). */
export const cobsMaxEncoded = (n: number): number => n + Math.ceil(n / 254) + 1

/** Encodes `src` into `dst` at `at`; returns the index after the last byte written. `dst` must have cobsMaxEncoded room. */
export function cobsEncodeInto(src: Uint8Array, dst: Uint8Array, at = 0): number {
  let codeAt = at
  let out = at + 1
  let code = 1
  for (let i = 0; i < src.length; i++) {
    const b = src[i]
    if (b === 0) {
      dst[codeAt] = code
      codeAt = out++
      code = 1
    } else {
      dst[out++] = b
      if (++code === 0xff) {
        // A full block of 254 non-zero bytes: close it; open the next only if input remains (canonical form).
        dst[codeAt] = code
        code = 1
        codeAt = i + 1 < src.length ? out++ : -1
      }
    }
  }
  if (codeAt >= 0) dst[codeAt] = code
  return out
}

export function cobsEncode(src: Uint8Array): Uint8Array {
  const dst = new Uint8Array(cobsMaxEncoded(src.length))
  return dst.subarray(0, cobsEncodeInto(src, dst))
}

/**
 * Decodes one COBS block (the bytes between two delimiters, delimiters excluded).
 * Throws WireError COBS_INVALID when a code byte is 0 or points past the end.
 */
export function cobsDecode(src: Uint8Array, start = 0, end = src.length): Uint8Array {
  const dst = new Uint8Array(Math.max(0, end - start))
  let out = 0
  let i = start
  while (i < end) {
    const code = src[i]
    if (code === 0) throw new WireError('COBS_INVALID', `COBS block holds a 0x00 at byte ${i - start}`)
    if (i + code > end) {
      throw new WireError('COBS_INVALID', `COBS code ${code} at byte ${i - start} runs past the end of the ${end - start}-byte block`)
    }
    for (let k = 1; k < code; k++) {
      const b = src[i + k]
      if (b === 0) throw new WireError('COBS_INVALID', `COBS block holds a 0x00 at byte ${i + k - start}`)
      dst[out++] = b
    }
    i += code
    if (code !== 0xff && i < end) dst[out++] = 0
  }
  return dst.subarray(0, out)
}
