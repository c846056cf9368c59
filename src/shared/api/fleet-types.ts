/** Fleet-level records as the API shows them (the board link's own types live in src/shared/wire). */

export interface BoardHistoryEntry {
  at: string
  kind: 'seen' | 'lost' | 'flash' | 'rollout' | 'adapt' | 'knowledge' | 'label' | 'error' | 'infer'
  /** One line for people. */
  message: string
  /** Job that did it, if any. */
  jobId?: string
  ok?: boolean
}

export type RolloutBoardState = 'pending' | 'flashing' | 'succeeded' | 'failed' | 'skipped'

export interface RolloutBoard {
  boardId: string
  state: RolloutBoardState
  /** 0..1 while flashing. */
  progress: number
  attempts: number
  error: string | null
  startedAt: string | null
  endedAt: string | null
  /** Wave number (0-based) the board belongs to. */
  wave: number
}

export interface RolloutPlan {
  id: string
  /** The artifact rolled out (its id and content hash). */
  artifactId: string
  artifactHash: string
  group: string | null
  concurrency: number
  /** Boards per wave; a wave starts when the previous one has ended. */
  waveSize: number
  /** Stop after this many failures (null: never stop). */
  abortAfter: number | null
  state: 'running' | 'succeeded' | 'aborted' | 'cancelled' | 'interrupted' | 'failed'
  /** Why it stopped, when it stopped early. */
  reason: string | null
  boards: RolloutBoard[]
  createdAt: string
  endedAt: string | null
  jobId: string | null
}

export interface RolloutSummary {
  total: number
  succeeded: number
  failed: number
  pending: number
  flashing: number
  skipped: number
  /** Seconds left by the mean flash time so far and the concurrency, or null before any flash ended. */
  etaSeconds: number | null
}

/** A board as the console knows it, by the unique id it reports in HELLO (not by its port). */
export interface BoardRecord {
  id: string
  /** A name people give it; defaults to the id. */
  name: string
  labels: string[]
  group: string | null
  boardClass: string | null
  firmware: string | null
  protocolVersion: number | null
  /** Where it was last seen, and when. */
  port: string | null
  online: boolean
  firstSeen: string
  lastSeen: string
  /** Free-form facts from the last HELLO (budgets, capabilities, slots), kept as reported. */
  info: Record<string, unknown>
}

/** A serial port as discovery sees it. */
export interface FleetPort {
  path: string
  /** Listed by the OS, announced by a running `diredi emulate`, or added by the user. */
  source: 'os' | 'emulator' | 'user'
  manufacturer?: string
  serialNumber?: string
  vendorId?: string
  productId?: string
  /**
   * Where it is plugged: the USB bus and port chain (Linux sysfs naming, e.g. "1-1.4": bus 1, root port 1,
   * hub port 4; on macOS/Windows the OS's location id). Stays with the socket, not the board. Absent for
   * ports that are not on USB (pseudo-terminals of `diredi emulate`, built-in UARTs).
   */
  location?: string
  /** The OS's plug-and-play id (on Linux the /dev/serial/by-id name), stable for one adapter. */
  pnpId?: string
  /** Whether the console opens it by itself (emulator-announced and user-added ports; OS ports only when added). */
  auto: boolean
  /** Whether the port is listed now (a user-added port may be absent). */
  present: boolean
  /** listed: known, not opened; opening; open: a session owns it; retrying: opening failed, tried again at nextRetryAt. */
  status: 'listed' | 'opening' | 'open' | 'retrying'
  /** The owning session's state, when there is one. */
  session: string | null
  boardId: string | null
  error: { code: string; message: string } | null
  /** Failed opening attempts in a row. */
  attempts: number
  nextRetryAt: string | null
}

export interface FleetPortEvent {
  change: 'added' | 'removed' | 'changed'
  port: FleetPort
}

/** One line of a board's human log channel, as the serial monitor keeps it. */
export interface MonitorLine {
  boardId: string | null
  path: string
  level: 'debug' | 'info' | 'warn' | 'error'
  uptimeMs: number
  text: string
  /** When the console received it (ISO). */
  at: string
}

/** Mean, 95th percentile and maximum of a set of samples. */
export interface Spread {
  mean: number
  p95: number
  max: number
}

/**
 * A board's inference telemetry: every INFER the console sent it (test-set runs, golden checks after a
 * flash, any caller) is counted. Kept on disk (<dataDir>/fleet/boards/<id>.telemetry.json), so totals
 * survive a restart; the recent window says how the board runs now.
 */
export interface BoardTelemetry {
  boardId: string
  /** Inferences since the console first counted any on this board. */
  inferences: number
  /** Mean board-reported compute latency over all of them, µs (null: none yet). */
  latencyMeanUs: number | null
  lastInferenceAt: string | null
  /** The last `seconds` (samples older than that are dropped). */
  recent: {
    seconds: number
    count: number
    /**
     * Inferences per second: `count` over the time from the oldest of them to now (at least 1 s), so a
     * burst reads at its own rate and an idle board decays to 0 as its samples leave the window.
     */
    perSecond: number
    /** The board's own compute latency (INFER_RESULT.latencyUs), µs; null when the window is empty. */
    latencyUs: Spread | null
    /** Request to reply as the console saw it (queueing, line time and compute), ms. */
    roundTripMs: Spread | null
  }
}
