import { createHash } from 'node:crypto'
import { AppError } from '../core/errors'

/** Id prefixes by entry kind. */
export const ID_PREFIX = { dataset: 'ds-', teacher: 't-', student: 's-', artifact: 'a-' } as const

export const makeId = (prefix: string, hash: string): string => prefix + hash.slice(0, 12)

export const ID_RE = /^(ds|t|s|a)-[0-9a-f]{12}$/

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,79}$/

/** Checks a human name: letters, digits, `._+-`, up to 80 characters, and not shaped like an id. */
export function checkName(name: string, what: string): void {
  if (!NAME_RE.test(name)) {
    throw new AppError('INVALID_INPUT', `${what} name ${JSON.stringify(name)} is not allowed: use 1 to 80 letters, digits, ".", "_", "+" or "-", starting with a letter or digit`)
  }
  if (ID_RE.test(name)) throw new AppError('INVALID_INPUT', `${what} name ${JSON.stringify(name)} looks like a registry id; choose another name`)
}

/**
 * SHA-256 (hex) over parts, each preceded by its byte length (u64 little-endian), so that two different
 * lists of parts never hash alike by concatenation. Strings are hashed as UTF-8.
 */
export function hashParts(parts: Iterable<Uint8Array | string>): string {
  const h = createHash('sha256')
  const len = new Uint8Array(8)
  const view = new DataView(len.buffer)
  for (const p of parts) {
    const bytes = typeof p === 'string' ? new TextEncoder().encode(p) : p
    view.setBigUint64(0, BigInt(bytes.byteLength), true)
    h.update(len)
    h.update(bytes)
  }
  return h.digest('hex')
}
