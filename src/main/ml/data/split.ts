/**
 * Held-out splits. A seeded generator (mulberry32) picks which samples form the test split, so one seed
 * and one file always give the same split; both splits keep the samples in file order.
 */
import { mulberry32 } from '../../../shared/random'

/** Which of n samples go to the test split: round(n * fraction) of them, chosen by the seed. */
export function testMask(n: number, fraction: number, seed: number): Uint8Array {
  const k = Math.round(n * fraction)
  const idx = new Uint32Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  const rnd = mulberry32(seed)
  // Partial Fisher-Yates: the first k positions end up a uniform random k-subset.
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rnd() * (n - i))
    const t = idx[i]
    idx[i] = idx[j]
    idx[j] = t
  }
  const mask = new Uint8Array(n)
  for (let i = 0; i < k; i++) mask[idx[i]] = 1
  return mask
}

/** Splits row-major samples (`size` values each) and their labels by a mask (1 = test), keeping order. */
export function applyMask<X extends Uint8Array | Float32Array>(x: X, y: Int32Array, size: number, mask: Uint8Array): { train: { x: X; y: Int32Array; n: number }; test: { x: X; y: Int32Array; n: number } } {
  const n = y.length
  let nt = 0
  for (let i = 0; i < n; i++) nt += mask[i]
  const ctor = x.constructor as new (len: number) => X
  const out = { train: { x: new ctor((n - nt) * size), y: new Int32Array(n - nt), n: n - nt }, test: { x: new ctor(nt * size), y: new Int32Array(nt), n: nt } }
  let a = 0
  let b = 0
  for (let i = 0; i < n; i++) {
    const dst = mask[i] ? out.test : out.train
    const j = mask[i] ? b++ : a++
    dst.x.set(x.subarray(i * size, (i + 1) * size), j * size)
    dst.y[j] = y[i]
  }
  return out
}
