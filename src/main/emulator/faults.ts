/**
 * What a virtual board can be told to do wrong, from a spec such as
 * "ber=1e-4,drop=0.01,unplug=0.1,seed=7" (`diredi emulate --faults SPEC`). Probabilities are per bit
 * (ber), per frame (drop), or per flash transfer (unplug, reboot, stall, trialUnplug).
 */
export interface FaultSpec {
  /** Probability that any one bit on the line is flipped, both directions. */
  ber: number
  /** Probability that a whole frame is lost, each direction. */
  drop: number
  /** Per transfer: the board is unplugged at a random point of the transfer for `unplugMs`. */
  unplug: number
  /** Per transfer: the board reboots at a random point of the transfer. */
  reboot: number
  /** Per transfer: the board stops answering for `stallMs` at a random point. */
  stall: number
  /** Per trial boot: the board is unplugged right after booting on trial (before any confirm). */
  trialUnplug: number
  unplugMs: number
  stallMs: number
  seed: number
}

export const NO_FAULTS: FaultSpec = { ber: 0, drop: 0, unplug: 0, reboot: 0, stall: 0, trialUnplug: 0, unplugMs: 300, stallMs: 1500, seed: 1 }

const LIMITS: Record<keyof FaultSpec, [number, number]> = {
  ber: [0, 0.01],
  drop: [0, 0.5],
  unplug: [0, 1],
  reboot: [0, 1],
  stall: [0, 1],
  trialUnplug: [0, 1],
  unplugMs: [0, 60_000],
  stallMs: [0, 60_000],
  seed: [0, 2 ** 32 - 1]
}

/** Parses a fault spec; throws an Error naming the bad part and the allowed range. */
export function parseFaults(spec: string | undefined): FaultSpec {
  const out: FaultSpec = { ...NO_FAULTS }
  if (!spec?.trim()) return out
  for (const part of spec.split(',')) {
    const [k, v, extra] = part.split('=').map((s) => s.trim())
    if (!(k in LIMITS) || v === undefined || extra !== undefined) {
      throw new Error(`fault "${part}" is not KEY=VALUE with KEY one of ${Object.keys(LIMITS).join(', ')}`)
    }
    const key = k as keyof FaultSpec
    const x = Number(v)
    const [lo, hi] = LIMITS[key]
    if (!Number.isFinite(x) || x < lo || x > hi) throw new Error(`fault ${key}=${v}: must be a number in [${lo}, ${hi}]`)
    out[key] = x
  }
  return out
}


/** Flips bits of `bytes` in place at rate `ber` per bit; returns how many. Skips geometrically, so cost is per error. */
export function flipBits(bytes: Uint8Array, ber: number, rand: () => number): number {
  if (ber <= 0) return 0
  const bits = bytes.length * 8
  let flips = 0
  const logq = Math.log(1 - ber)
  for (let i = Math.floor(Math.log(1 - rand()) / logq); i < bits; i += 1 + Math.floor(Math.log(1 - rand()) / logq)) {
    bytes[i >> 3] ^= 1 << (i & 7)
    flips++
  }
  return flips
}
