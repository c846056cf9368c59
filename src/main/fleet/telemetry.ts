import { join } from 'node:path'
import type { BoardTelemetry } from '../../shared/api/fleet-types'
import type { EventBus } from '../core/events'
import type { BoardService } from '../boards/service'
import { readJsonRecords, writeJsonAtomic } from '../core/atomic'
import { addSample, emptyTelemetry, snapshot, type TelemetryState } from './telemetry-window'

export interface TelemetryOptions {
  /** The recent window the rate and latency figures cover, ms. */
  windowMs: number
  /** Changed boards are written to disk this often, ms (and on dispose). */
  saveMs: number
  /** At most one `fleet.telemetry` event per board this often, ms (the last change always gets one). */
  eventMs: number
  /** Wall clock, epoch ms. */
  now: () => number
}

export const DEFAULT_TELEMETRY: TelemetryOptions = { windowMs: 10_000, saveMs: 2000, eventMs: 1000, now: Date.now }

/**
 * Per-board inference telemetry: counts every INFER a board answers through its session (whoever asked:
 * a test-set run, a flash's golden check, an adaptation round), with the board's own compute latency and
 * the console's round trip; keeps totals and the recent window on disk under <dataDir>/fleet/telemetry
 * as <boardId>.json, and emits `fleet.telemetry` (throttled) so views show live figures.
 */
export class FleetTelemetry {
  private readonly dir: string
  private readonly state = new Map<string, TelemetryState>()
  private readonly dirty = new Set<string>()
  private readonly eventTimers = new Map<string, NodeJS.Timeout>()
  private saveTimer: NodeJS.Timeout | null = null
  private saving: Promise<void> = Promise.resolve()
  private readonly unwatch: () => void

  constructor(
    dataDir: string,
    boards: BoardService,
    private readonly events: EventBus,
    private readonly o: TelemetryOptions = DEFAULT_TELEMETRY
  ) {
    this.dir = join(dataDir, 'fleet', 'telemetry')
    this.unwatch = boards.watch((s) =>
      s.on('infer', (x) => {
        if (s.info) this.record(s.info.boardId, x.latencyUs, x.roundTripMs)
      })
    )
  }

  /** Reads what earlier runs kept. */
  async load(): Promise<void> {
    for (const r of await readJsonRecords<TelemetryState & { boardId: string }>(this.dir)) {
      const { boardId, ...t } = r
      if (typeof boardId === 'string' && !this.state.has(boardId)) this.state.set(boardId, { ...emptyTelemetry(), ...t })
    }
  }

  /** Counts one inference on `boardId` now. */
  record(boardId: string, latencyUs: number, roundTripMs: number): void {
    let t = this.state.get(boardId)
    if (!t) this.state.set(boardId, (t = emptyTelemetry()))
    addSample(t, [this.o.now(), latencyUs, roundTripMs], this.o.windowMs)
    this.dirty.add(boardId)
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = null
      void this.flush()
    }, this.o.saveMs).unref()
    if (!this.eventTimers.has(boardId)) {
      const timer = setTimeout(() => {
        this.eventTimers.delete(boardId)
        this.events.emit('fleet.telemetry', this.get(boardId))
      }, this.o.eventMs).unref()
      this.eventTimers.set(boardId, timer)
    }
  }

  /** A board's figures now (zeros for a board that never inferred). */
  get(boardId: string): BoardTelemetry {
    return snapshot(boardId, this.state.get(boardId) ?? emptyTelemetry(), this.o.now(), this.o.windowMs)
  }

  /** Every board with any telemetry. */
  list(): BoardTelemetry[] {
    return [...this.state.keys()].sort().map((id) => this.get(id))
  }

  /** Writes every changed board now; resolves when written. */
  flush(): Promise<void> {
    const ids = [...this.dirty]
    this.dirty.clear()
    this.saving = this.saving
      .then(async () => {
        for (const id of ids) {
          const t = this.state.get(id)
          if (t) await writeJsonAtomic(join(this.dir, `${id}.json`), { boardId: id, ...t })
        }
      })
      .catch((e: unknown) => console.error('fleet: could not save inference telemetry:', e))
    return this.saving
  }

  async dispose(): Promise<void> {
    this.unwatch()
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = null
    for (const t of this.eventTimers.values()) clearTimeout(t)
    this.eventTimers.clear()
    await this.flush()
  }
}
