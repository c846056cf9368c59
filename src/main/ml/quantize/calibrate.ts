/**
 * Calibration: the range of every activation the int8 model will hold, measured by running the float
 * model on calibration inputs (the pure-TS reference forward pass, in batches).
 */
import { forwardFloat } from '../../../shared/model/forward'
import type { SpecModel } from '../../../shared/model/spec'

export interface CalibrationOptions {
  /** 'minmax' takes the extremes; 'percentile' clips outliers at `percentile` (and 100 - it). */
  method?: 'minmax' | 'percentile'
  /** For 'percentile', e.g. 99.99. */
  percentile?: number
  /** Samples per forward batch (memory: batch * largest activation * 4 bytes). */
  batch?: number
}

export interface Ranges {
  input: [number, number]
  /** Per layer, the range of its output (after the fused activation). */
  layers: Array<[number, number]>
}

/** Values kept per tensor for percentiles: enough for 1e-4 tails, small enough to sort quickly. */
const MAX_KEPT = 200_000

/** x: n * prod(inputShape) calibration inputs, row-major. */
export function collectRanges(model: SpecModel, x: Float32Array, opts: CalibrationOptions = {}): Ranges {
  const method = opts.method ?? 'minmax'
  const p = opts.percentile ?? 99.99
  if (method === 'percentile' && !(p > 50 && p <= 100)) throw new RangeError(`percentile must be in (50, 100], got ${p}`)
  const inSize = model.spec.inputShape.reduce((a, b) => a * b, 1)
  const n = x.length / inSize
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`calibration needs at least one whole sample of [${model.spec.inputShape}], got ${x.length} values`)
  const batch = Math.max(1, opts.batch ?? 256)
  const nLayers = model.spec.layers.length
  const trackers = Array.from({ length: nLayers + 1 }, () => new Tracker(method === 'percentile', Math.ceil(n / batch)))
  for (let s = 0; s < n; s += batch) {
    const xb = x.subarray(s * inSize, Math.min(n, s + batch) * inSize)
    trackers[0].add(xb)
    forwardFloat(model, xb, (i, out) => trackers[i + 1].add(out))
  }
  const [input, ...layers] = trackers.map((t) => t.range(p))
  return { input, layers }
}

class Tracker {
  private lo = Infinity
  private hi = -Infinity
  private kept: number[] = []

  constructor(
    private readonly percentiles: boolean,
    private readonly batches: number
  ) {}

  add(v: Float32Array): void {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (x < this.lo) this.lo = x
      if (x > this.hi) this.hi = x
    }
    if (!this.percentiles) return
    // A strided sample of each batch, so every batch contributes about equally.
    const step = Math.max(1, Math.ceil((v.length * this.batches) / MAX_KEPT))
    for (let i = 0; i < v.length; i += step) this.kept.push(v[i])
  }

  range(p: number): [number, number] {
    if (!Number.isFinite(this.lo) || !Number.isFinite(this.hi)) throw new RangeError('calibration produced a non-finite activation: check the model weights and the inputs')
    if (!this.percentiles || this.kept.length === 0) return [this.lo, this.hi]
    const s = Float64Array.from(this.kept).sort()
    const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.round((q / 100) * (s.length - 1))))]
    return [at(100 - p), at(p)]
  }
}
