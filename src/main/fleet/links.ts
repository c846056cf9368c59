import type { BoardInfo, LinkStats } from '../../shared/api/boards'
import type { EventBus } from '../core/events'
import type { BoardService } from '../boards/service'
import type { BoardSession } from '../boards/session'
import type { BoardDirectory } from './directory'

/** What the directory keeps of a board's last HELLO (and slot reads): budgets, adaptation, slots, link. */
export function factsOf(info: BoardInfo, counters: LinkStats): Record<string, unknown> {
  return {
    budgets: { flashBytes: info.flashBytes, ramBytes: info.ramBytes },
    adaptation: info.adaptation,
    caps: info.caps,
    lineRate: info.lineRate,
    paired: info.paired,
    bootCount: info.bootCount,
    active: info.active,
    running: info.running,
    trial: info.trial,
    slots: info.slots,
    /** SHA-256 of the model the board runs now (null: none). */
    runningHash: info.running ? info.slots[info.running].hash : null,
    link: { framesIn: counters.framesIn, framesOut: counters.framesOut, crcErrors: counters.crcErrors, retransmits: counters.retransmits, timeouts: counters.timeouts, reconnects: counters.reconnects }
  }
}

interface Waiter {
  resolve(path: string | null): void
}

/**
 * Binds board sessions to board identities: whenever a session reaches ready (HELLO), the board's record
 * is updated (`directory.seen`) and `fleet.board` is emitted; a disconnect or close marks it lost. Keeps
 * the boardId -> path index, so everything above addresses boards by id and a board re-plugged on another
 * port keeps its identity and history.
 */
export class FleetLinks {
  private readonly byId = new Map<string, string>()
  private readonly byPath = new Map<string, string>()
  private readonly waiters = new Map<string, Set<Waiter>>()
  /** Directory writes in arrival order (a quick unplug must not land before the sighting it follows). */
  private chain: Promise<void> = Promise.resolve()
  private readonly unwatch: () => void

  constructor(
    private readonly boards: BoardService,
    private readonly directory: BoardDirectory,
    private readonly events: EventBus
  ) {
    this.unwatch = boards.watch((s) => this.bind(s))
  }

  /** Port of the board with this id while its session is ready, else null. */
  pathOf(boardId: string): string | null {
    const path = this.byId.get(boardId)
    if (!path) return null
    return this.boards.existing(path)?.state === 'ready' ? path : null
  }

  /** Board id on a port (as last handshaken), or null. */
  idAt(path: string): string | null {
    return this.byPath.get(path) ?? null
  }

  /** Resolves with the board's port once it is ready (at once if it is), or null after `ms` or an abort. */
  waitOnline(boardId: string, ms: number, signal?: AbortSignal): Promise<string | null> {
    const now = this.pathOf(boardId)
    if (now || ms <= 0 || signal?.aborted) return Promise.resolve(now)
    return new Promise((resolve) => {
      const set = this.waiters.get(boardId) ?? new Set<Waiter>()
      this.waiters.set(boardId, set)
      const done = (p: string | null) => {
        clearTimeout(t)
        signal?.removeEventListener('abort', onAbort)
        set.delete(w)
        resolve(p)
      }
      const w: Waiter = { resolve: done }
      const onAbort = () => done(null)
      const t = setTimeout(() => done(null), ms)
      signal?.addEventListener('abort', onAbort)
      set.add(w)
    })
  }

  /** Writes the board's current facts (slots after a flash, counters) to its record. */
  refresh(boardId: string): Promise<void> {
    const path = this.byId.get(boardId)
    const s = path ? this.boards.existing(path) : undefined
    if (!s?.info || s.info.boardId !== boardId) return Promise.resolve()
    return this.serial(() => this.record(s, s.info as BoardInfo))
  }

  /** Settles once every directory write queued so far has landed. */
  flushed(): Promise<void> {
    return this.chain
  }

  private bind(s: BoardSession): void {
    s.on('ready', (info) => {
      const old = this.byId.get(info.boardId)
      if (old && old !== s.path && this.byPath.get(old) === info.boardId) this.byPath.delete(old)
      const prevId = this.byPath.get(s.path)
      if (prevId && prevId !== info.boardId && this.byId.get(prevId) === s.path) this.byId.delete(prevId)
      this.byId.set(info.boardId, s.path)
      this.byPath.set(s.path, info.boardId)
      void this.serial(() => this.record(s, info))
      for (const w of [...(this.waiters.get(info.boardId) ?? [])]) w.resolve(s.path)
    })
    s.on('disconnected', (why) => this.gone(s.path, why))
    s.on('state', (st) => {
      if (st === 'closed') this.gone(s.path, 'the session was closed')
    })
  }

  private gone(path: string, why: string): void {
    const id = this.byPath.get(path)
    if (!id || this.byId.get(id) !== path) return
    void this.serial(async () => {
      if (this.byId.get(id) !== path || this.boards.existing(path)?.state === 'ready') return
      await this.directory.lost(id, `${path}: ${why}`)
      this.events.emit('fleet.board', this.directory.get(id))
    })
  }

  private async record(s: BoardSession, info: BoardInfo): Promise<void> {
    const b = await this.directory.seen(info.boardId, s.path, {
      boardClass: info.boardClass,
      firmware: info.firmware,
      protocolVersion: info.protocol.version,
      info: factsOf(s.info ?? info, s.counters)
    })
    this.events.emit('fleet.board', b)
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn).catch((e: unknown) => console.error('fleet: could not update the board directory:', e))
    return this.chain
  }

  dispose(): void {
    this.unwatch()
    for (const set of this.waiters.values()) for (const w of [...set]) w.resolve(null)
    this.waiters.clear()
  }
}
