import { watch, type FSWatcher, promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { FleetPort } from '../../shared/api/fleet-types'
import { AppError } from '../core/errors'
import type { EventBus } from '../core/events'
import type { BoardService } from '../boards/service'
import { readAnnouncements } from '../transport/announce'
import { readJson, writeJsonAtomic } from '../core/atomic'

export interface DiscoveryOptions {
  /** Time between port scans, ms (file-system watches trigger a scan sooner where they work). */
  pollMs: number
  /** Back-off between failed opening attempts: doubles from min to max, ms. */
  backoffMinMs: number
  backoffMaxMs: number
  /** Watch /dev and the announcements folder (inotify) to notice ports without waiting for a poll. */
  watch: boolean
}

export const DEFAULT_DISCOVERY: DiscoveryOptions = { pollMs: 2000, backoffMinMs: 500, backoffMaxMs: 30_000, watch: true }

const same = (a: FleetPort, b: FleetPort) => JSON.stringify(a) === JSON.stringify(b)

type Listed = Pick<FleetPort, 'path' | 'manufacturer' | 'serialNumber' | 'vendorId' | 'productId' | 'location' | 'pnpId'> & { source: 'os' | 'emulator' }

/** The fields that have a value (a port record never carries `undefined` keys, so changes compare by JSON). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * Ports as an event stream: scans the OS ports (with their USB location) and `diredi emulate` announcements, merges
 * the ports the user added (kept in <dataDir>/fleet/ports.json), and opens sessions by itself on
 * announced and added ports, retrying a port that is busy or cannot be locked with back-off. OS ports are
 * only listed: probing every tty with HELLO would disturb other devices (modems, GPS, other programs'
 * boards). `list()` is the full state; `fleet.port` events (added/removed/changed) follow every change.
 */
export class PortDiscovery {
  private readonly ports = new Map<string, FleetPort>()
  private readonly added = new Set<string>()
  private readonly file: string
  private readonly announceDir: string
  private timer: NodeJS.Timeout | null = null
  private soon: NodeJS.Timeout | null = null
  private scanning: Promise<void> | null = null
  private readonly opening = new Map<string, Promise<void>>()
  private readonly watchers: FSWatcher[] = []
  private stopped = false

  constructor(
    dataDir: string,
    private readonly boards: BoardService,
    private readonly events: EventBus,
    private readonly o: DiscoveryOptions
  ) {
    this.file = join(dataDir, 'fleet', 'ports.json')
    this.announceDir = join(dataDir, 'emulators')
  }

  /** The OS's ports (with USB location) and the ports `diredi emulate` announced in the data directory. */
  private async listed(): Promise<Listed[]> {
    const os = await this.boards.opener.list()
    const emu = await readAnnouncements(this.announceDir)
    return [
      ...os.map((p) => ({ path: p.path, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId, location: p.locationId, pnpId: p.pnpId, source: 'os' as const })),
      ...emu.flatMap((a) => a.boards.map((b) => ({ path: b.port, serialNumber: b.boardId, manufacturer: 'DiReDi emulator', source: 'emulator' as const })))
    ]
  }

  async load(): Promise<void> {
    const saved = await readJson<{ added: string[] }>(this.file).catch(() => ({ added: [] as string[] }))
    for (const p of saved.added) this.added.add(p)
  }

  /** Starts scanning (and watching); the first scan has run when this resolves. */
  async start(): Promise<void> {
    if (this.timer || this.stopped) return
    this.timer = setInterval(() => void this.scan(), this.o.pollMs)
    this.timer.unref()
    if (this.o.watch) {
      await fs.mkdir(this.announceDir, { recursive: true }).catch(() => undefined)
      for (const dir of [this.announceDir, '/dev']) {
        try {
          const w = watch(dir, () => this.scanSoon())
          w.on('error', () => w.close())
          this.watchers.push(w)
        } catch {
          // no inotify here (or no /dev): polling alone finds the ports
        }
      }
    }
    await this.scan()
  }

  list(): FleetPort[] {
    return [...this.ports.values()].sort((a, b) => a.path.localeCompare(b.path))
  }

  /** Adds a port the console opens and keeps open (and reopens after a restart); resolves after the first attempt. */
  async add(path: string): Promise<FleetPort> {
    if (!path.trim()) throw new AppError('INVALID_INPUT', 'give the path of a serial port, e.g. /dev/ttyACM0')
    if (!this.added.has(path)) {
      this.added.add(path)
      await this.save()
    }
    const p = this.ports.get(path)
    if (p) {
      p.attempts = 0
      p.nextRetryAt = null
    }
    await this.scan()
    await this.opening.get(path)
    return this.get(path)
  }

  /** Forgets a user-added port and closes its session. */
  async remove(path: string): Promise<{ removed: true }> {
    if (!this.added.delete(path)) throw new AppError('NOT_FOUND', `${path} was not added; list ports with fleet.ports`)
    await this.save()
    if (this.boards.existing(path)) await this.boards.close(path).catch(() => undefined)
    await this.scan()
    return { removed: true }
  }

  get(path: string): FleetPort {
    const p = this.ports.get(path)
    if (!p) throw new AppError('NOT_FOUND', `no port ${path}; list ports with fleet.ports`)
    return p
  }

  /** One scan: list, merge, emit changes, open what should be open. Concurrent calls share one scan. */
  scan(): Promise<void> {
    this.scanning ??= this.doScan().finally(() => (this.scanning = null))
    return this.scanning
  }

  private scanSoon(): void {
    if (this.soon || this.stopped) return
    this.soon = setTimeout(() => {
      this.soon = null
      void this.scan()
    }, 100)
  }

  private async doScan(): Promise<void> {
    if (this.stopped) return
    let listed: Listed[] = []
    try {
      listed = await this.listed()
    } catch (e) {
      console.error('fleet: cannot list serial ports:', (e as Error).message)
    }
    const seen = new Set<string>()
    for (const l of listed) {
      if (seen.has(l.path)) continue
      seen.add(l.path)
      const source = l.source === 'emulator' ? 'emulator' : this.added.has(l.path) ? 'user' : 'os'
      const { path: _p, source: _s, ...facts } = l
      this.upsert({ ...this.base(l.path), ...defined(facts), source, present: true, auto: source !== 'os' })
    }
    for (const path of this.added) if (!seen.has(path)) this.upsert({ ...this.base(path), source: 'user', present: false, auto: true })
    for (const [path, p] of this.ports) {
      if (seen.has(path) || this.added.has(path)) continue
      this.ports.delete(path)
      if (this.boards.existing(path)) await this.boards.close(path).catch(() => undefined)
      this.events.emit('fleet.port', { change: 'removed', port: { ...p, present: false, status: 'listed', session: null } })
    }
    const now = Date.now()
    for (const p of this.ports.values()) {
      if (!p.auto || this.opening.has(p.path) || this.boards.existing(p.path)) continue
      if (p.nextRetryAt && Date.parse(p.nextRetryAt) > now) continue
      const run = this.open(p.path).finally(() => this.opening.delete(p.path))
      this.opening.set(p.path, run)
    }
  }

  /** The port's record with its session's state folded in (status of an absent session is kept). */
  private base(path: string): FleetPort {
    const prev = this.ports.get(path)
    const s = this.boards.existing(path)
    const status: FleetPort['status'] = s ? (this.opening.has(path) ? 'opening' : 'open') : prev?.status === 'open' ? 'listed' : (prev?.status ?? 'listed')
    return {
      path, source: 'os', auto: false, present: true, status, session: s?.state ?? null, boardId: s?.info?.boardId ?? prev?.boardId ?? null,
      error: prev?.error ?? null, attempts: prev?.attempts ?? 0, nextRetryAt: prev?.nextRetryAt ?? null
    }
  }

  private upsert(next: FleetPort): void {
    const prev = this.ports.get(next.path)
    this.ports.set(next.path, next)
    if (!prev) this.events.emit('fleet.port', { change: 'added', port: next })
    else if (!same(prev, next)) this.events.emit('fleet.port', { change: 'changed', port: next })
  }

  private async open(path: string): Promise<void> {
    const p = this.ports.get(path)
    if (!p) return
    this.upsert({ ...p, status: 'opening' })
    try {
      const s = await this.boards.session(path)
      const cur = this.ports.get(path)
      if (this.stopped || !cur) return
      this.upsert({ ...cur, status: 'open', session: s.state, boardId: s.info?.boardId ?? null, error: null, attempts: 0, nextRetryAt: null })
    } catch (e) {
      const cur = this.ports.get(path)
      if (!cur || this.stopped) return
      const code = e instanceof AppError ? e.code : 'IO_ERROR'
      const attempts = cur.attempts + 1
      const wait = Math.min(this.o.backoffMaxMs, this.o.backoffMinMs * 2 ** (attempts - 1))
      const why = code === 'PORT_BUSY' ? ' (another program holds the port, or cannot lock it)' : ''
      this.upsert({
        ...cur, status: 'retrying', session: null, attempts, nextRetryAt: new Date(Date.now() + wait).toISOString(),
        error: { code, message: `${(e as Error).message}${why}; trying again in ${Math.round(wait / 100) / 10} s (attempt ${attempts})` }
      })
    }
  }

  private async save(): Promise<void> {
    await writeJsonAtomic(this.file, { added: [...this.added].sort() })
  }

  /** Stops scanning and watching; waits for openings under way. Sessions are closed by the board service. */
  async dispose(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    if (this.soon) clearTimeout(this.soon)
    this.timer = this.soon = null
    for (const w of this.watchers.splice(0)) w.close()
    await this.scanning?.catch(() => undefined)
    await Promise.allSettled([...this.opening.values()])
  }
}
