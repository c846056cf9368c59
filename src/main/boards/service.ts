import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { BoardSummary, EvalReport, FlashResult, InferReport, LinkStats } from '../../shared/api/boards'
import type { EventBus } from '../core/events'
import { AppError, fsErrorToApp } from '../core/errors'
import type { JobService } from '../core/jobs'
import type { Registry } from '../store/types'
import { readAnnouncements } from '../transport/announce'
import { SerialOpener } from '../transport/serial'
import type { PortOpener } from '../transport/types'
import { flashArtifact } from './flash'
import { decodeForConsole, goldenSet } from './golden'
import { withSlots } from './info'
import { inferSamples } from './infer'
import { pair } from './knowledge'
import { KeyStore } from './keys'
import { BoardSession, type SessionOptions } from './session'

export interface FlashJobParams {
  path: string
  /** An artifact id, or a model id (its newest artifact). */
  artifact?: string
  /** An artifact file on this machine. */
  file?: string
  golden?: number
}

export interface BoardServiceOptions {
  dataDir: string
  events: EventBus
  jobs: JobService
  registry: Registry
  /** How ports are opened (default: node-serialport's native binding; tests pass a virtual bus). */
  opener?: PortOpener
  session?: Partial<Omit<SessionOptions, 'opener'>>
}

/**
 * The console's boards: one session per port, opened on demand and kept (reconnecting by itself) until
 * closed. The fleet layer builds on `session(path)`; the API and the CLI use the methods here.
 */
export class BoardService {
  private readonly sessions = new Map<string, BoardSession>()
  private readonly watchers = new Set<(s: BoardSession) => void>()
  readonly keys: KeyStore
  readonly opener: PortOpener

  constructor(private readonly o: BoardServiceOptions) {
    this.opener = o.opener ?? new SerialOpener()
    this.keys = new KeyStore(o.dataDir)
    o.jobs.register<FlashJobParams, FlashResult>({
      kind: 'flash',
      resumable: true,
      title: (p) => `flash ${p.artifact ?? p.file} to ${p.path}`,
      run: (ctx, p) => this.flashTo(p, { signal: ctx.signal, progress: (f, m) => ctx.progress(f, m), log: (l) => ctx.log(l) })
    })
  }

  /** Serial ports of this machine, and the ports of running `diredi emulate` boards. */
  async ports(): Promise<Array<{ path: string; manufacturer?: string; serialNumber?: string; vendorId?: string; productId?: string; source: 'os' | 'emulator' }>> {
    const os = await this.opener.list()
    const emu = await readAnnouncements(join(this.o.dataDir, 'emulators'))
    return [
      ...os.map((p) => ({ path: p.path, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId, source: 'os' as const })),
      ...emu.flatMap((a) => a.boards.map((b) => ({ path: b.port, serialNumber: b.boardId, manufacturer: 'DiReDi emulator', source: 'emulator' as const })))
    ]
  }

  /** The session on `path`, opened (handshake done) if it was not. */
  async session(path: string, baudRate?: number): Promise<BoardSession> {
    let s = this.sessions.get(path)
    if (!s) {
      s = new BoardSession(path, { ...this.o.session, opener: this.opener, ...(baudRate ? { baudRate } : {}) })
      const session = s
      this.sessions.set(path, s)
      s.on('state', () => this.o.events.emit('board.state', this.summary(session)))
      s.on('log', (line) => this.o.events.emit('board.log', line))
      for (const w of this.watchers) w(session)
    }
    try {
      await s.open()
    } catch (e) {
      if (this.sessions.get(path) === s) this.sessions.delete(path)
      await s.dispose()
      throw e
    }
    return s
  }

  /**
   * Calls `fn` with every session created from now on (and those open now), before it opens, so a
   * watcher sees its first `ready`. The fleet layer binds identities this way. Returns the unsubscribe.
   */
  watch(fn: (s: BoardSession) => void): () => void {
    this.watchers.add(fn)
    for (const s of this.sessions.values()) fn(s)
    return () => this.watchers.delete(fn)
  }

  /** The session on `path` if one exists (open or reconnecting), without opening anything. */
  existing(path: string): BoardSession | undefined {
    return this.sessions.get(path)
  }

  summary(s: BoardSession): BoardSummary {
    return { path: s.path, state: s.state, info: s.info, counters: s.counters, lastError: s.lastError }
  }

  list(): BoardSummary[] {
    return [...this.sessions.values()].map((s) => this.summary(s))
  }

  async open(path: string, baudRate?: number): Promise<BoardSummary> {
    return this.summary(await this.session(path, baudRate))
  }

  private known(path: string): BoardSession {
    const s = this.sessions.get(path)
    if (!s) throw new AppError('NOT_FOUND', `no session on ${path}; open it first (boards.open)`)
    return s
  }

  /** A board's summary with its slots read afresh. */
  async get(path: string): Promise<BoardSummary> {
    const s = this.known(path)
    if (s.state === 'ready' && s.info) {
      s.updateInfo(withSlots(s.info, await s.request('SLOTS_GET', {}, ['SLOTS'])))
    }
    return this.summary(s)
  }

  async close(path: string): Promise<{ closed: true }> {
    const s = this.known(path)
    this.sessions.delete(path)
    await s.dispose()
    return { closed: true }
  }

  async flash(p: FlashJobParams) {
    await this.loadArtifact(p) // fail fast on a bad reference, before a job exists
    return this.o.jobs.start('flash', p)
  }

  /** The bytes of what `p` names: a file, an artifact id, or a model id (its newest artifact). */
  async loadArtifact(p: { artifact?: string; file?: string }): Promise<{ bytes: Uint8Array; name: string }> {
    if (p.file) {
      try {
        return { bytes: new Uint8Array(await fs.readFile(p.file)), name: p.file }
      } catch (e) {
        throw fsErrorToApp(e, p.file) ?? e
      }
    }
    const ref = p.artifact as string
    try {
      const rec = await this.o.registry.artifacts.get(ref)
      return { bytes: await this.o.registry.artifacts.read(rec.id), name: rec.id }
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'NOT_FOUND') throw e
    }
    const model = await this.o.registry.models.get(ref).catch(() => null)
    if (!model) throw new AppError('NOT_FOUND', `no artifact or model "${ref}"; list them with \`diredi models\`, or give an artifact file with --artifact`)
    const arts = (await this.o.registry.artifacts.list()).filter((a) => a.modelId === model.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    if (!arts.length) throw new AppError('NOT_FOUND', `model ${model.id} has no int8 artifact yet; export one (diredi export --model ${model.id} --format artifact)`)
    return { bytes: await this.o.registry.artifacts.read(arts[0].id), name: arts[0].id }
  }

  /**
   * Flashes what `p` names to the board on `p.path` now (not as a job): the rollout runner and the flash
   * job both come here. Progress is 0..1 of the artifact's bytes the board holds.
   */
  async flashTo(
    p: FlashJobParams,
    o: { signal: AbortSignal; progress?: (f: number, m: Record<string, number>) => void; log?: (l: string) => void; readyTimeoutMs?: number }
  ): Promise<FlashResult> {
    const { signal } = o
    const progress = o.progress ?? (() => undefined)
    const log = o.log ?? (() => undefined)
    const art = await this.loadArtifact(p)
    decodeForConsole(art.bytes, art.name)
    const golden = goldenSet(art.bytes, p.golden ?? 8)
    const s = await this.session(p.path)
    log(`flashing ${art.name} (${art.bytes.length} bytes) to ${s.info?.boardId} on ${p.path}`)
    let phase = ''
    const r = await flashArtifact(s, art.bytes, {
      golden,
      signal,
      readyTimeoutMs: o.readyTimeoutMs,
      onProgress: (pr) => {
        progress(pr.total ? pr.sent / pr.total : 0, { sent: pr.sent, total: pr.total, attempt: pr.attempt })
        if (pr.phase !== phase) log(`${(phase = pr.phase)}${pr.attempt > 1 ? ` (attempt ${pr.attempt})` : ''}`)
      }
    })
    log(r.alreadyRunning ? `${s.info?.boardId} already runs ${r.hash.slice(0, 12)}` : `confirmed slot ${r.slot}: ${r.bytes} bytes, ${r.goldenChecked} golden vectors equal, ${r.lineFraction} of the line rate`)
    return r
  }

  async infer(path: string, dataset: string, count: number): Promise<InferReport> {
    const s = await this.session(path)
    const hash = s.info?.running ? s.info.slots[s.info.running].hash : null
    if (!hash) throw new AppError('NOT_FOUND', `${path}: the board runs no model; flash one first`)
    const art = (await this.o.registry.artifacts.list()).find((a) => a.hash === hash)
    if (!art) throw new AppError('NOT_FOUND', `${path}: the board runs artifact ${hash.slice(0, 12)}, which is not in this console's registry; flash one from it`)
    const model = decodeForConsole(await this.o.registry.artifacts.read(art.id), art.id)
    const ds = await this.o.registry.datasets.load(dataset)
    const per = ds.record.inputShape.reduce((a, b) => a * b, 1)
    const want = model.inputShape.reduce((a, b) => a * b, 1)
    if (per !== want) throw new AppError('INVALID_INPUT', `dataset ${ds.record.name} has ${per} values per sample, the board's model takes ${want}`)
    return inferSamples(s, model, ds.test.x, ds.test.y, Math.min(count, ds.test.n), ds.record.name)
  }

  async evalPrivate(path: string, split: 'train' | 'test'): Promise<EvalReport> {
    const s = await this.session(path)
    const r = await s.request('EVAL_PRIVATE', { split }, ['EVAL_REPORT'])
    return { path, split, n: r.n, correct: r.correct, accuracy: r.n ? r.correct / r.n : 0, classCounts: r.classCounts, predCounts: r.predCounts, confidenceHist: r.confidenceHist, latencyMeanUs: r.latencyMeanUs, latencyMaxUs: r.latencyMaxUs }
  }

  /** Provisions (or renews) the board's knowledge-signing key and keeps it. */
  async pair(path: string): Promise<{ boardId: string; paired: true }> {
    const s = await this.session(path)
    const info = s.info
    if (!info) throw new AppError('BOARD_DISCONNECTED', `${path}: no handshake`)
    const old = await this.keys.get(info.boardId)
    if (info.paired && !old) {
      throw new AppError('UNAUTHORIZED', `${info.boardId} is paired with another console (its key is not here); reset the board's pairing on the board, then pair again`)
    }
    const key = this.keys.fresh()
    await pair(s, key, info.paired ? (old as Uint8Array) : undefined)
    await this.keys.put(info.boardId, key)
    s.updateInfo({ ...info, paired: true })
    return { boardId: info.boardId, paired: true }
  }

  async stats(path: string): Promise<{ console: LinkStats; board: Record<string, number> }> {
    const s = this.known(path)
    const { rid: _rid, ...board } = await s.request('STATS_GET', {}, ['STATS'])
    return { console: s.counters, board }
  }

  /** Closes every session (the ports are released). */
  async dispose(): Promise<void> {
    const all = [...this.sessions.values()]
    this.sessions.clear()
    await Promise.all(all.map((s) => s.dispose()))
  }
}

