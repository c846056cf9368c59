import { AppError } from '../core/errors'
import { asBytes } from './io'
import { hashParts } from './names'
import type { DatasetInput, DatasetInputSplit } from './types'

/**
 * How a dataset's samples are stored and hashed. Samples whose values are all exact k/255 (8-bit data
 * scaled to [0, 1]) are stored as one uint8 per value; anything else as float32. Labels are int32.
 * All multi-byte values are little-endian (the registry refuses to open on a big-endian host).
 */
export type SampleDtype = 'uint8' | 'float32'

/** A split as stored: `x` holds n * sampleSize values of the dataset's dtype. */
export interface StoredSplit {
  x: Uint8Array | Float32Array
  y: Int32Array
  n: number
}

/** value k (0..255) -> k / 255 as float32: the one scaling every reader of 8-bit data uses. */
export const U8_SCALE: Float32Array = (() => {
  const t = new Float32Array(256)
  for (let k = 0; k < 256; k++) t[k] = k / 255
  return t
})()

export const sampleSize = (shape: number[]): number => shape.reduce((a, b) => a * b, 1)

const bad = (msg: string) => new AppError('DATASET_INVALID', msg)

/** Checks shapes, lengths and labels of a dataset about to be stored; throws DATASET_INVALID naming the problem. */
export function checkInput(input: DatasetInput): void {
  const { inputShape, classNames } = input
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw bad(`dataset ${input.name}: input shape [${inputShape}] must be one or more positive whole numbers`)
  }
  if (classNames.length < 1) throw bad(`dataset ${input.name}: it has no classes; give at least one class name`)
  if (new Set(classNames).size !== classNames.length) throw bad(`dataset ${input.name}: class names repeat (${classNames.join(', ')}); each class needs its own name`)
  if (input.train.n === 0) throw bad(`dataset ${input.name}: the train split is empty; a dataset needs at least one train sample`)
  const size = sampleSize(inputShape)
  for (const [split, s] of [['train', input.train], ['test', input.test]] as const) {
    if (!Number.isInteger(s.n) || s.n < 0) throw bad(`dataset ${input.name}: ${split} split has a bad sample count ${s.n}`)
    if (s.x.length !== s.n * size) throw bad(`dataset ${input.name}: ${split} x holds ${s.x.length} values, expected ${s.n} samples x ${size} = ${s.n * size}`)
    if (s.y.length !== s.n) throw bad(`dataset ${input.name}: ${split} has ${s.y.length} labels for ${s.n} samples`)
    for (let i = 0; i < s.n; i++) {
      const c = s.y[i]
      if (c < 0 || c >= classNames.length) {
        throw bad(`dataset ${input.name}: ${split} sample ${i} has label ${c}, outside 0..${classNames.length - 1} (${classNames.length} classes); fix the labels or the class list`)
      }
    }
  }
}

/** Whether every value is some k/255 exactly (as float32), so that uint8 storage loses nothing. */
function isEightBit(x: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]
    const k = Math.round(v * 255)
    if (!(k >= 0 && k <= 255) || U8_SCALE[k] !== v) return false
  }
  return true
}

/** Picks the storage dtype from the content and converts: same values, same stored bytes, same hash. */
export function toStored(input: DatasetInput): { dtype: SampleDtype; train: StoredSplit; test: StoredSplit } {
  const raw = [input.train, input.test]
  const eight = raw.every((s) => s.x instanceof Uint8Array || isEightBit(s.x))
  const conv = (s: DatasetInputSplit): StoredSplit => {
    if (eight) return { x: s.x instanceof Uint8Array ? s.x : floatToU8(s.x), y: s.y, n: s.n }
    const x = s.x instanceof Float32Array ? s.x : u8ToFloat(s.x)
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw bad(`dataset ${input.name}: value ${x[i]} at index ${i} is not a finite number; clean the data first`)
    }
    return { x, y: s.y, n: s.n }
  }
  return { dtype: eight ? 'uint8' : 'float32', train: conv(input.train), test: conv(input.test) }
}

function floatToU8(x: Float32Array): Uint8Array {
  const out = new Uint8Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = Math.round(x[i] * 255)
  return out
}

/** 8-bit values -> float32 in [0, 1] (value / 255). */
export function u8ToFloat(x: Uint8Array): Float32Array {
  const out = new Float32Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = U8_SCALE[x[i]]
  return out
}

/**
 * The content hash: over a header (format version, input shape, class names, dtype, split sizes) and
 * the stored bytes of train x, train y, test x, test y. Independent of the file format it came from.
 */
export function datasetHash(inputShape: number[], classNames: string[], dtype: SampleDtype, train: StoredSplit, test: StoredSplit): string {
  const header = JSON.stringify({ v: 1, inputShape, classNames, dtype, train: train.n, test: test.n })
  return hashParts([header, asBytes(train.x), asBytes(train.y), asBytes(test.x), asBytes(test.y)])
}

/** An ArrayBuffer holding exactly `b`'s bytes: its own when `b` spans it whole (as fs.readFile gives), else a copy. */
export function ownBuffer(b: Uint8Array): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer
  const out = new Uint8Array(b.byteLength)
  out.set(b)
  return out.buffer
}

export function countClasses(y: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0)
  for (let i = 0; i < y.length; i++) counts[y[i]]++
  return counts
}
