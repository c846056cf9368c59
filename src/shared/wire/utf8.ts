/**
 * UTF-8 without TextEncoder (this folder sees neither DOM nor Node types). `utf8Decode` is strict: it
 * refuses overlong forms, surrogates, truncated sequences and code points above U+10FFFF (returns null).
 */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = []
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0xfffd
    if (c < 0x80) out.push(c)
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f))
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
  }
  return Uint8Array.from(out)
}

export function utf8Decode(b: Uint8Array): string | null {
  let s = ''
  for (let i = 0; i < b.length; ) {
    const c = b[i]
    let n: number
    let cp: number
    let min: number
    if (c < 0x80) { s += String.fromCharCode(c); i++; continue }
    else if ((c & 0xe0) === 0xc0) { n = 1; cp = c & 0x1f; min = 0x80 }
    else if ((c & 0xf0) === 0xe0) { n = 2; cp = c & 0x0f; min = 0x800 }
    else if ((c & 0xf8) === 0xf0) { n = 3; cp = c & 0x07; min = 0x10000 }
    else return null
    if (i + n >= b.length) return null // truncated sequence
    for (let k = 1; k <= n; k++) {
      const d = b[i + k]
      if ((d & 0xc0) !== 0x80) return null
      cp = (cp << 6) | (d & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null
    s += String.fromCodePoint(cp)
    i += n + 1
  }
  return s
}
