import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { fsErrorToApp } from '../../core/errors'

/** One parsed file: float32 features row after row, the raw label texts and the line each row came from. */
export interface CsvTable {
  path: string
  header: string[] | null
  columns: number
  features: number
  x: Float32Array
  labels: string[]
  lines: number[]
}

/**
 * Splits one CSV line into trimmed fields. Double-quoted fields may hold the delimiter and doubled quotes
 * (""), as RFC 4180 has it; a quoted field cannot span lines. Returns null for an unterminated quote.
 */
export function splitFields(line: string, delim: string): string[] | null {
  if (!line.includes('"')) return line.split(delim).map((f) => f.trim())
  const out: string[] = []
  let i = 0
  for (;;) {
    while (i < line.length && line[i] !== delim && (line[i] === ' ' || line[i] === '\t')) i++
    if (line[i] === '"') {
      let v = ''
      i++
      for (;;) {
        const q = line.indexOf('"', i)
        if (q < 0) return null
        v += line.slice(i, q)
        if (line[q + 1] === '"') {
          v += '"'
          i = q + 2
        } else {
          i = q + 1
          break
        }
      }
      const next = line.indexOf(delim, i)
      out.push(v)
      if (next < 0) return out
      i = next + 1
    } else {
      const next = line.indexOf(delim, i)
      out.push((next < 0 ? line.slice(i) : line.slice(i, next)).trim())
      if (next < 0) return out
      i = next + 1
    }
  }
}

const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const INT_RE = /^[+-]?\d+$/

/** A decimal number (no hex, no Infinity, no empty field), or NaN. */
export const parseNumber = (s: string): number => (NUM_RE.test(s) ? Number(s) : NaN)
export const isInteger = (s: string): boolean => INT_RE.test(s)

/** Non-empty lines of a text file with their 1-based line numbers, streamed; a leading BOM is dropped. */
export async function* readLines(path: string): AsyncGenerator<{ line: string; no: number }> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })
  const rl = createInterface({ input: stream, crlfDelay: Infinity })
  let no = 0
  try {
    for await (const raw of rl) {
      no++
      const line = no === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
      if (line.trim() !== '') yield { line, no }
    }
  } catch (e) {
    throw fsErrorToApp(e, path) ?? e
  } finally {
    rl.close()
    stream.destroy()
  }
}
