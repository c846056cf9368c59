import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SpecModel } from '../../../shared/model/spec'
import type { DatasetInput } from '../types'

/** A fresh temporary folder and its removal, for tests. */
export function tempDir(prefix = 'diredi-store-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A small synthetic dataset: n train and m test samples of `shape`, labels i % classes. `eightBit`
 * makes every value k/255 (stored as uint8); otherwise values are arbitrary floats (stored as float32).
 */
export function synthDataset(name: string, opts: { n?: number; m?: number; shape?: number[]; classes?: number; eightBit?: boolean; seed?: number } = {}): DatasetInput {
  const { n = 20, m = 8, shape = [4, 4, 1], classes = 3, eightBit = true, seed = 1 } = opts
  const size = shape.reduce((a, b) => a * b, 1)
  let s = seed
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / 16777216
  const split = (k: number) => {
    const x = new Float32Array(k * size)
    for (let i = 0; i < x.length; i++) x[i] = eightBit ? Math.floor(rnd() * 256) / 255 : rnd() * 10 - 5
    const y = new Int32Array(k)
    for (let i = 0; i < k; i++) y[i] = i % classes
    return { x, y, n: k }
  }
  return {
    name,
    format: 'derived',
    inputShape: shape,
    classNames: Array.from({ length: classes }, (_, i) => `c${i}`),
    train: split(n),
    test: split(m),
    source: ['synthetic']
  }
}

/** A dense 4-3-2 model with deterministic weights (scaled by `k` so tests can make different ones). */
export function tinyModel(k = 1): SpecModel {
  const t = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1)
    return { name, shape, data: Float32Array.from({ length: size }, (_, i) => (i - size / 2) * 0.01 * k) }
  }
  return {
    spec: { inputShape: [4], classes: 2, layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'dense', units: 2, activation: 'linear' }] },
    weights: { tensors: [t('0/kernel', [4, 3]), t('0/bias', [3]), t('1/kernel', [3, 2]), t('1/bias', [2])] }
  }
}

/** "CODE: message" of the AppError a promise rejects with ("resolved" if it does not). */
export async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    const { AppError } = await import('../../core/errors')
    return e instanceof AppError ? `${e.code}: ${e.message}` : `not an AppError: ${String(e)}`
  }
  return 'resolved'
}
