import { promises as fs, readFileSync } from 'node:fs'
import type { PrivateData, PrivateSplit } from './data'

/**
 * A board's private data in a file, for board processes (`diredi emulate`): a JSON header line, then the
 * train x (float32), train y (int32), test x, test y, little-endian, back to back. Whoever builds a
 * scenario's user data writes one per board; the board process reads it and keeps it to itself.
 */
interface Header {
  format: 'diredi-private-data'
  version: 1
  inputShape: number[]
  classes: number
  train: number
  test: number
}

export async function writePrivateData(file: string, d: PrivateData): Promise<void> {
  const h: Header = { format: 'diredi-private-data', version: 1, inputShape: d.inputShape, classes: d.classes, train: d.train.n, test: d.test.n }
  const parts: Buffer[] = [Buffer.from(JSON.stringify(h) + '\n')]
  for (const s of [d.train, d.test]) parts.push(Buffer.from(s.x.buffer, s.x.byteOffset, s.x.byteLength), Buffer.from(s.y.buffer, s.y.byteOffset, s.y.byteLength))
  await fs.writeFile(file, Buffer.concat(parts), { mode: 0o600 })
}

export function readPrivateData(file: string): PrivateData {
  const b = readFileSync(file)
  const nl = b.indexOf(0x0a)
  const h = JSON.parse(b.subarray(0, nl).toString('utf8')) as Header
  if (h.format !== 'diredi-private-data' || h.version !== 1) throw new Error(`${file}: not a private data file`)
  const size = h.inputShape.reduce((a, c) => a * c, 1)
  let at = nl + 1
  const take = (n: number): PrivateSplit => {
    const x = new Float32Array(b.buffer.slice(b.byteOffset + at, b.byteOffset + at + n * size * 4))
    at += n * size * 4
    const y = new Int32Array(b.buffer.slice(b.byteOffset + at, b.byteOffset + at + n * 4))
    at += n * 4
    if (x.length !== n * size || y.length !== n) throw new Error(`${file}: truncated`)
    return { x, y, n }
  }
  const train = take(h.train)
  const test = take(h.test)
  return { inputShape: h.inputShape, classes: h.classes, train, test }
}
