import type { BoardTelemetry, Spread } from '../../shared/api/fleet-types'

/** One counted inference: when (epoch ms), the board's compute latency (µs), the console's round trip (ms). */
export type InferSample = [atMs: number, latencyUs: number, roundTripMs: number]

/** What is kept on disk per board. */
export interface TelemetryState {
  inferences: number
  latencySumUs: number
  lastAtMs: number | null
  /** The recent window's samples, oldest first. */
  recent: InferSample[]
}

export const emptyTelemetry = (): TelemetryState => ({ inferences: 0, latencySumUs: 0, lastAtMs: null, recent: [] })

/** Most samples a window keeps (a board answering faster than this per window is sampled by its newest). */
export const MAX_RECENT = 4096

/** Adds one inference; drops samples older than `windowMs` before `s.atMs`. */
export function addSample(t: TelemetryState, s: InferSample, windowMs: number): void {
  t.inferences++
  t.latencySumUs += s[1]
  t.lastAtMs = Math.max(t.lastAtMs ?? s[0], s[0])
  t.recent.push(s)
  prune(t, s[0], windowMs)
}

function prune(t: TelemetryState, nowMs: number, windowMs: number): void {
  let drop = 0
  while (drop < t.recent.length && t.recent[drop][0] <= nowMs - windowMs) drop++
  drop = Math.max(drop, t.recent.length - MAX_RECENT)
  if (drop > 0) t.recent.splice(0, drop)
}

/** Mean, nearest-rank 95th percentile and maximum; null for no values. */
export function spread(values: number[]): Spread | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length
  const p95 = sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)]
  const r = (x: number) => Math.round(x * 10) / 10
  return { mean: r(mean), p95: r(p95), max: r(sorted[sorted.length - 1]) }
}

/** The API view of a board's telemetry at `nowMs` (the window is pruned to it first). */
export function snapshot(boardId: string, t: TelemetryState, nowMs: number, windowMs: number): BoardTelemetry {
  prune(t, nowMs, windowMs)
  const n = t.recent.length
  const spanS = n ? Math.max(1, (nowMs - t.recent[0][0]) / 1000) : 1
  return {
    boardId,
    inferences: t.inferences,
    latencyMeanUs: t.inferences ? Math.round((t.latencySumUs / t.inferences) * 10) / 10 : null,
    lastInferenceAt: t.lastAtMs === null ? null : new Date(t.lastAtMs).toISOString(),
    recent: {
      seconds: windowMs / 1000,
      count: n,
      perSecond: Math.round((n / spanS) * 100) / 100,
      latencyUs: spread(t.recent.map((s) => s[1])),
      roundTripMs: spread(t.recent.map((s) => s[2]))
    }
  }
}
