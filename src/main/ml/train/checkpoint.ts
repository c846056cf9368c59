import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { ModelSpec } from '../../../shared/model/spec'
import { writeFileAtomic } from '../../core/atomic'
import type { TrainState } from './run'

/**
 * A training checkpoint in a job's work folder: `checkpoint.bin`, replaced atomically after every
 * epoch and at a cancel, so a killed job loses at most the epoch in progress.
 *
 * Layout: "DRDCKPT1" (8 bytes), u32 LE header length h, h bytes of JSON header, zero padding to a
 * multiple of 4, then the Float32 (LE) arrays listed in header.arrays, in order.
 */
const MAGIC = 'DRDCKPT1'
export const CHECKPOINT_FILE = 'checkpoint.bin'

export interface Checkpoint {
  /** The model being trained (a student chosen by the factory is fixed from the first epoch on). */
  spec: ModelSpec
  /** Anything the job needs to check the checkpoint belongs to it (params fingerprint, teacher id). */
  fingerprint: string
  state: TrainState
}

interface Header {
  version: 1
  spec: ModelSpec
  fingerprint: string
  position: TrainState['position']
  best: { epoch: number; valLoss: number; valAcc: number } | null
  sinceBest: number
  history: TrainState['history']
  arrays: Array<{ name: string; length: number }>
}

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const arrays: Array<[string, Float32Array]> = [
    ['params', c.state.params],
    ['m', c.state.m],
    ['v', c.state.v]
  ]
  if (c.state.best) arrays.push(['best', c.state.best.params])
  const { best } = c.state
  const header: Header = {
    version: 1,
    spec: c.spec,
    fingerprint: c.fingerprint,
    position: c.state.position,
    best: best ? { epoch: best.epoch, valLoss: best.valLoss, valAcc: best.valAcc } : null,
    sinceBest: c.state.sinceBest,
    history: c.state.history,
    arrays: arrays.map(([name, a]) => ({ name, length: a.length }))
  }
  const h = Buffer.from(JSON.stringify(header), 'utf8')
  const start = Math.ceil((12 + h.length) / 4) * 4
  const out = new Uint8Array(start + arrays.reduce((a, [, x]) => a + x.length * 4, 0))
  out.set(Buffer.from(MAGIC, 'ascii'), 0)
  new DataView(out.buffer).setUint32(8, h.length, true)
  out.set(h, 12)
  let o = start
  for (const [, a] of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.length * 4), o)
    o += a.length * 4
  }
  return out
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const fail = (why: string): never => {
    throw new Error(`checkpoint is unreadable (${why})`)
  }
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('ascii') !== MAGIC) fail('bad magic')
  const hl = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(8, true)
  if (12 + hl > bytes.length) fail('truncated header')
  const header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + hl)).toString('utf8')) as Header
  if (header.version !== 1) fail(`version ${String(header.version)}`)
  let o = Math.ceil((12 + hl) / 4) * 4
  const arrays = new Map<string, Float32Array>()
  for (const { name, length } of header.arrays) {
    if (o + length * 4 > bytes.length) fail(`truncated array ${name}`)
    // Copy into an aligned buffer of its own.
    arrays.set(name, new Float32Array(bytes.slice(o, o + length * 4).buffer))
    o += length * 4
  }
  const get = (n: string) => arrays.get(n) ?? fail(`missing ${n}`)
  const best = header.best ? { ...header.best, params: get('best') } : null
  return {
    spec: header.spec,
    fingerprint: header.fingerprint,
    state: { position: header.position, params: get('params'), m: get('m'), v: get('v'), best, sinceBest: header.sinceBest, history: header.history }
  }
}

export async function saveCheckpoint(dir: string, c: Checkpoint): Promise<void> {
  await writeFileAtomic(join(dir, CHECKPOINT_FILE), encodeCheckpoint(c))
}

/** The checkpoint in `dir`, or null when there is none. A damaged one throws. */
export async function loadCheckpoint(dir: string): Promise<Checkpoint | null> {
  let bytes: Buffer
  try {
    bytes = await fs.readFile(join(dir, CHECKPOINT_FILE))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
  return decodeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length))
}
