import { createHash } from 'node:crypto'

/** SHA-256 of bytes (or of a string as UTF-8): the 32 digest bytes. The one SHA-256 of src/main. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

/** SHA-256 of bytes (or of a string as UTF-8) as 64 lowercase hex digits (content ids, file digests). */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** True when two byte arrays hold the same bytes (digests, keys, slot contents). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
