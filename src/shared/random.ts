/**
 * A small seeded pseudo-random generator (mulberry32) for everything that must be reproducible from a
 * seed: data partitions, transforms, sampling. Not for anything secret.
 */
/** mulberry32's output for a state (the state advances by 0x6d2b79f5 before each draw). */
function draw(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** mulberry32 as a function: uniform in [0, 1), the same stream for the same seed (golden inputs, faults, splits, test weights). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => draw((a = (a + 0x6d2b79f5) >>> 0))
}

export class Rng {
  private s: number

  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9
  }

  /** Uniform in [0, 1). */
  next(): number {
    return draw((this.s = (this.s + 0x6d2b79f5) >>> 0))
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Fisher-Yates shuffle in place (an array or a typed array); returns it. */
  shuffle<A extends { length: number; [i: number]: unknown }>(a: A): A {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = a[i]
      a[i] = a[j]
      a[j] = t
    }
    return a
  }

  /** A child generator whose stream depends on this seed and a label (stable across code changes elsewhere). */
  fork(label: string): Rng {
    let h = this.s ^ 0x811c9dc5
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619)
    return new Rng(h >>> 0)
  }
}
