import { randomInt } from 'node:crypto'
import type { BoardInfo, BoardLogLine, LinkStats, SessionState } from '../../shared/api/boards'
import type { Clock, TimerHandle } from '../../shared/wire/clock'
import { decodePayload, encodePayload } from '../../shared/wire/codec'
import { WireError } from '../../shared/wire/errors'
import { CRC_BYTES, HEADER_BYTES, type Frame } from '../../shared/wire/frame'
import { ReliableLink, type LinkOptions } from '../../shared/wire/link'
import {
  MESSAGES, PROTOCOL_MAX, PROTOCOL_MIN, type BoardMessage, type BoardMessageName, type ConsoleMessageName, type MessageValue
} from '../../shared/wire/messages'
import { AppError } from '../core/errors'
import type { BytePort, PortOpener } from '../transport/types'
import { nodeClock } from '../core/clock'
import { Emitter } from '../core/emitter'
import { boardRefusal, disconnected } from './errors'
import { infoFromHello, withSlots } from './info'

export interface SessionOptions {
  opener: PortOpener
  baudRate: number
  clock: Clock
  link: Partial<LinkOptions>
  /** Time between HELLO tries, and tries per connection attempt. */
  helloIntervalMs: number
  helloTries: number
  /** A request without its reply after this long fails with TIMEOUT. */
  requestTimeoutMs: number
  /** With nothing heard for this long, a PING checks the board is there. */
  keepaliveMs: number
  /** Reopen the port and handshake again after a disconnect (until closed). */
  reconnect: boolean
  reconnectMinMs: number
  reconnectMaxMs: number
}

export const DEFAULT_SESSION: Omit<SessionOptions, 'opener'> = {
  baudRate: 921600,
  clock: nodeClock,
  link: {},
  helloIntervalMs: 400,
  helloTries: 8,
  requestTimeoutMs: 20_000,
  keepaliveMs: 3000,
  reconnect: true,
  reconnectMinMs: 100,
  reconnectMaxMs: 2000
}

export type SessionEvents = {
  state: [SessionState]
  ready: [BoardInfo]
  disconnected: [string]
  log: [BoardLogLine]
  /** ADAPT_PROGRESS and ADAPT_DONE, as they come. */
  adapt: [Extract<BoardMessage, { name: 'ADAPT_PROGRESS' | 'ADAPT_DONE' }>]
  /** Every message delivered from the board: its type name and its size on the wire (header, payload, CRC). The privacy ledger counts these. */
  received: [{ name: string; bytes: number }]
  /** An INFER answered: the board's own compute latency (µs) and the round trip the console saw (ms). Telemetry counts these. */
  infer: [{ latencyUs: number; roundTripMs: number }]
}

interface Pending {
  request: string
  /** clock.now() when sent, ms. */
  sentAt: number
  expect: readonly string[]
  timer: TimerHandle
  resolve(m: BoardMessage): void
  reject(e: Error): void
}

type ReplyValue<R extends BoardMessageName> = MessageValue<R>

/**
 * The console's session with one board on one port: opens the port, handshakes (HELLO), matches replies
 * to requests by rid with timeouts, keeps the link alive, and after an unplug, a reboot or a dead link
 * reopens and handshakes again by itself. The fleet layer and the flasher use its typed methods and events.
 */
export class BoardSession extends Emitter<SessionEvents> {
  readonly opts: SessionOptions
  private port: BytePort | null = null
  private readonly link: ReliableLink
  private stateValue: SessionState = 'closed'
  private infoValue: BoardInfo | null = null
  private helloSession = 0
  private helloWait: { resolve(v: MessageValue<'HELLO_INFO'>): void } | null = null
  private readonly pending = new Map<number, Pending>()
  private nextRid = 1
  private lastHeard = 0
  private keepalive: TimerHandle | null = null
  private reconnectTimer: TimerHandle | null = null
  private reconnectDelay = 0
  private connecting: Promise<void> | null = null
  private readyWaiters = new Set<{ resolve(i: BoardInfo): void; reject(e: Error): void }>()
  private lock: Promise<unknown> = Promise.resolve()
  lastError: string | null = null
  /** FLASH_DATA size the flasher learned suits this line (it shrinks under bit errors and grows back). */
  flashChunk = 1024
  private readonly extra = { unmatchedReplies: 0, handshakes: 0, reconnects: 0, requestTimeouts: 0 }

  constructor(
    readonly path: string,
    opts: Partial<SessionOptions> & { opener: PortOpener }
  ) {
    super()
    this.opts = { ...DEFAULT_SESSION, ...opts, link: { ...DEFAULT_SESSION.link, ...opts.link } }
    this.link = new ReliableLink(this.opts.clock, (line) => this.port?.write(line), { bytesPerMs: this.opts.baudRate / 10_000, ...this.opts.link }, PROTOCOL_MAX)
    this.link.onDeliver = (f) => this.onFrame(f)
    this.link.onDead = (why) => this.lost(`the link went dead: ${why}`, true)
  }

  get state(): SessionState {
    return this.stateValue
  }

  /** The board's HELLO information (slots updated by later replies); null before the first handshake. */
  get info(): BoardInfo | null {
    return this.infoValue
  }

  get counters(): LinkStats {
    return { ...this.link.counters, ...this.extra }
  }

  /** Frames the link is still sending or waiting to send. */
  get backlog(): number {
    return this.link.backlog
  }

  /** Line rate in bytes per second (8N1). */
  get lineBytesPerSec(): number {
    return (this.infoValue?.lineRate ?? this.opts.baudRate) / 10
  }

  /**
   * Opens the port and handshakes. Rejects (and gives up) when the port cannot be opened, no board answers,
   * or the protocol versions do not overlap (PROTOCOL_MISMATCH); after that first success, losses reconnect.
   */
  async open(): Promise<BoardInfo> {
    if (this.stateValue === 'ready' && this.infoValue) return this.infoValue
    if (this.stateValue === 'closed') {
      this.setState('connecting')
      try {
        await this.connect()
      } catch (e) {
        await this.close()
        this.lastError = (e as Error).message
        throw e
      }
    }
    return this.ready()
  }

  /** Resolves with the board's info once the session is (again) ready. */
  ready(timeoutMs = 30_000): Promise<BoardInfo> {
    if (this.stateValue === 'ready' && this.infoValue) return Promise.resolve(this.infoValue)
    if (this.stateValue === 'closed' || this.stateValue === 'mismatch') return Promise.reject(disconnected(this.path, this.lastError ?? 'the session is closed'))
    return new Promise((resolve, reject) => {
      const w = {
        resolve: (i: BoardInfo) => {
          this.opts.clock.clearTimer(t)
          resolve(i)
        },
        reject: (e: Error) => {
          this.opts.clock.clearTimer(t)
          reject(e)
        }
      }
      const t = this.opts.clock.setTimer(() => {
        this.readyWaiters.delete(w)
        reject(new AppError('TIMEOUT', `${this.path}: the board did not come back within ${timeoutMs} ms (${this.lastError ?? 'no answer'}); check the cable`))
      }, timeoutMs)
      this.readyWaiters.add(w)
    })
  }

  /** Runs `fn` with the board to itself: exclusive operations (flash, adaptation) never interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn)
    this.lock = run.catch(() => undefined)
    return run
  }

  /** Sends a request and resolves with its reply (one of `expect`); a board ERROR rejects with its code. */
  request<R extends BoardMessageName>(name: ConsoleMessageName, value: Record<string, unknown>, expect: readonly R[], timeoutMs = this.opts.requestTimeoutMs): Promise<ReplyValue<R>> {
    if (this.stateValue !== 'ready') return Promise.reject(disconnected(this.path, this.lastError ?? this.stateValue))
    const rid = this.nextRid
    this.nextRid = (this.nextRid % 0xffff) + 1
    const def = MESSAGES[name]
    const payload = encodePayload(name, { ...value, rid } as never)
    return new Promise<ReplyValue<R>>((resolve, reject) => {
      const timer = this.opts.clock.setTimer(() => {
        this.pending.delete(rid)
        this.extra.requestTimeouts++
        reject(new AppError('TIMEOUT', `${this.path}: no reply to ${name} within ${timeoutMs} ms`))
      }, timeoutMs)
      const done = (m: BoardMessage) => resolve(m.value as unknown as ReplyValue<R>)
      this.pending.set(rid, { request: name, sentAt: this.opts.clock.now(), expect, timer, resolve: done, reject })
      this.link.send(def.type, payload, def.channel).catch(() => undefined) // a lost link fails the request through lost()
    })
  }

  /** Sends a message that has no reply; resolves when the board acknowledged it. */
  async post(name: ConsoleMessageName, value: Record<string, unknown>): Promise<void> {
    if (this.stateValue !== 'ready') throw disconnected(this.path, this.lastError ?? this.stateValue)
    const def = MESSAGES[name]
    try {
      await this.link.send(def.type, encodePayload(name, value as never), def.channel)
    } catch {
      throw disconnected(this.path, this.lastError ?? 'the link was reset')
    }
  }

  // ---- typed shortcuts for the fleet layer (flash.ts and knowledge.ts hold the longer procedures) ----

  /** Both slots as the board reports them now (also updates `info`). */
  async slots(): Promise<MessageValue<'SLOTS'>> {
    const v = await this.request('SLOTS_GET', {}, ['SLOTS'])
    if (this.infoValue) this.infoValue = withSlots(this.infoValue, v)
    return v
  }

  /** Runs one quantised input on the running model. */
  infer(input: Int8Array): Promise<MessageValue<'INFER_RESULT'>> {
    return this.request('INFER', { input }, ['INFER_RESULT'])
  }

  /** The board's model on its own data: aggregates only. */
  evalPrivate(split: 'train' | 'test'): Promise<MessageValue<'EVAL_REPORT'>> {
    return this.request('EVAL_PRIVATE', { split }, ['EVAL_REPORT'])
  }

  /** The board's own link counters. */
  boardStats(): Promise<MessageValue<'STATS'>> {
    return this.request('STATS_GET', {}, ['STATS'])
  }

  /** Reboots the board (a trial is dropped); the session handshakes again by itself. */
  async reboot(): Promise<void> {
    await this.request('REBOOT', {}, ['OK'])
  }

  // ---- connection ----

  private connect(): Promise<void> {
    this.connecting ??= this.doConnect().finally(() => (this.connecting = null))
    return this.connecting
  }

  private async doConnect(): Promise<void> {
    const port = await this.opts.opener.open(this.path, { baudRate: this.opts.baudRate })
    if (this.stateValue === 'closed') {
      await port.close()
      return
    }
    this.port = port
    this.link.resetParser()
    port.on('data', (b) => this.link.feed(b))
    port.on('close', (r) => {
      if (this.port !== port) return
      this.port = null
      this.lost(r.kind === 'disconnected' ? `disconnected: ${r.message}` : 'the port was closed', false)
    })
    await this.handshake()
  }

  private async handshake(): Promise<void> {
    this.setState('handshaking')
    this.extra.handshakes++
    let session = randomInt(1, 0xffffffff)
    // (bitwise operators work on signed 32 bits: >>> 0 keeps a session id over 2^31 unsigned)
    if ((session & 0xff) === 0) session = (session | 1) >>> 0
    this.helloSession = session
    this.link.reset(0, PROTOCOL_MAX)
    const payload = encodePayload('HELLO', { session, minVersion: PROTOCOL_MIN, maxVersion: PROTOCOL_MAX })
    let info: MessageValue<'HELLO_INFO'> | null = null
    for (let i = 0; i < this.opts.helloTries && !info && this.port && this.helloSession === session; i++) {
      this.link.sendUnreliable(MESSAGES.HELLO.type, payload, 'data', PROTOCOL_MAX)
      info = await new Promise<MessageValue<'HELLO_INFO'> | null>((resolve) => {
        const t = this.opts.clock.setTimer(() => {
          this.helloWait = null
          resolve(null)
        }, this.opts.helloIntervalMs)
        this.helloWait = {
          resolve: (v) => {
            this.opts.clock.clearTimer(t)
            this.helloWait = null
            resolve(v)
          }
        }
      })
    }
    if (this.helloSession !== session || this.stateValue === 'closed') return
    if (!info) throw new AppError('TIMEOUT', `${this.path}: no DiReDi board answered HELLO (${this.opts.helloTries} tries at ${this.opts.baudRate} baud); check that a board is on this port and runs DiReDi firmware`)
    if (info.version === 0 || info.version < PROTOCOL_MIN || info.version > PROTOCOL_MAX) {
      this.setState('mismatch')
      this.lastError = `protocol skew: the board speaks versions ${info.minVersion}..${info.maxVersion}, this console ${PROTOCOL_MIN}..${PROTOCOL_MAX}`
      const e = new AppError('PROTOCOL_MISMATCH', `${this.path}: ${this.lastError}; update the board's firmware or the console`, {
        board: { min: info.minVersion, max: info.maxVersion }, console: { min: PROTOCOL_MIN, max: PROTOCOL_MAX }, boardId: info.boardId
      })
      for (const w of this.readyWaiters) w.reject(e)
      this.readyWaiters.clear()
      const port = this.port
      this.port = null
      await port?.close()
      throw e
    }
    this.link.reset(session & 0xff, info.version)
    if (this.opts.link.bytesPerMs === undefined && info.lineRate > 0) this.link.setLineRate(Math.min(info.lineRate, this.opts.baudRate) / 10_000)
    this.infoValue = infoFromHello(this.path, info)
    this.lastHeard = this.opts.clock.now()
    this.reconnectDelay = 0
    this.lastError = null
    this.setState('ready')
    this.armKeepalive()
    for (const w of this.readyWaiters) w.resolve(this.infoValue)
    this.readyWaiters.clear()
    this.emit('ready', this.infoValue)
  }

  /** The board went away (or restarted): fail what is outstanding, then get it back. */
  private lost(why: string, closePort: boolean): void {
    if (this.stateValue === 'closed' || this.stateValue === 'mismatch') return
    const wasReady = this.stateValue === 'ready'
    this.lastError = why
    this.failPending(disconnected(this.path, why))
    this.link.reset(0)
    this.helloSession = 0
    this.helloWait = null
    if (wasReady) this.emit('disconnected', why)
    if (closePort && this.port) {
      const p = this.port
      this.port = null
      void p.close()
    }
    this.setState('reconnecting')
    if (this.opts.reconnect) this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== null || this.stateValue === 'closed') return
    this.reconnectDelay = Math.min(this.opts.reconnectMaxMs, Math.max(this.opts.reconnectMinMs, this.reconnectDelay * 2))
    this.reconnectTimer = this.opts.clock.setTimer(() => {
      this.reconnectTimer = null
      if (this.stateValue !== 'reconnecting') return
      this.extra.reconnects++
      const attempt = this.port ? this.handshake() : this.connect()
      attempt.catch((e: Error) => {
        if (this.stateValue === 'closed' || this.stateValue === 'mismatch') return
        this.lastError = e.message
        this.setState('reconnecting')
        this.scheduleReconnect()
      })
    }, this.reconnectDelay)
  }

  private armKeepalive(): void {
    if (this.keepalive !== null) return
    const tick = () => {
      this.keepalive = null
      if (this.stateValue === 'closed') return
      if (this.stateValue === 'ready' && this.opts.clock.now() - this.lastHeard >= this.opts.keepaliveMs && this.link.backlog === 0) {
        this.request('PING', {}, ['PONG']).catch(() => undefined)
      }
      this.keepalive = this.opts.clock.setTimer(tick, this.opts.keepaliveMs)
    }
    this.keepalive = this.opts.clock.setTimer(tick, this.opts.keepaliveMs)
  }

  // ---- frames ----

  private onFrame(f: Frame): void {
    let m: ReturnType<typeof decodePayload>
    try {
      m = decodePayload(f.type, f.payload)
    } catch (e) {
      if (!(e instanceof WireError)) throw e
      this.link.counters.payloadErrors++
      this.emit('received', { name: 'UNDECODABLE', bytes: HEADER_BYTES + f.payload.length + CRC_BYTES })
      return
    }
    this.lastHeard = this.opts.clock.now()
    this.emit('received', { name: m.name, bytes: HEADER_BYTES + f.payload.length + CRC_BYTES })
    switch (m.name) {
      case 'HELLO_INFO':
        if (m.value.session === this.helloSession) this.helloWait?.resolve(m.value)
        return
      case 'UNSYNCED':
        if (this.stateValue === 'ready') this.lost(`the board restarted (boot ${m.value.bootCount})`, false)
        return
      case 'LOG':
        this.emit('log', { path: this.path, boardId: this.infoValue?.boardId ?? null, level: m.value.level, uptimeMs: m.value.uptimeMs, text: m.value.text, at: new Date().toISOString() })
        return
      case 'ADAPT_PROGRESS':
      case 'ADAPT_DONE':
        this.emit('adapt', m)
        return
      default:
        break
    }
    const v = m.value as { rid?: number }
    if (typeof v.rid !== 'number' || !MESSAGES[m.name].replyTo) return
    const p = this.pending.get(v.rid)
    if (!p) {
      this.extra.unmatchedReplies++
      return
    }
    this.pending.delete(v.rid)
    this.opts.clock.clearTimer(p.timer)
    if (m.name === 'ERROR') p.reject(boardRefusal(this.path, p.request, m.value.code, m.value.detail))
    else if (p.expect.includes(m.name)) {
      if (m.name === 'INFER_RESULT') this.emit('infer', { latencyUs: m.value.latencyUs, roundTripMs: this.opts.clock.now() - p.sentAt })
      p.resolve(m as BoardMessage)
    } else p.reject(new AppError('IO_ERROR', `${this.path}: the board answered ${p.request} with ${m.name}; its firmware does not follow the protocol`))
  }

  private failPending(e: Error): void {
    for (const p of this.pending.values()) {
      this.opts.clock.clearTimer(p.timer)
      p.reject(e)
    }
    this.pending.clear()
  }

  private setState(s: SessionState): void {
    if (this.stateValue === s) return
    this.stateValue = s
    this.emit('state', s)
  }

  /** Updates the known slots (after a SLOTS or FLASH_RESULT reply). */
  updateInfo(info: BoardInfo): void {
    this.infoValue = info
  }

  /** Ends the session: fails what is outstanding, stops every timer, releases the port. Idempotent. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed' && !this.port) return
    this.setState('closed')
    for (const t of [this.keepalive, this.reconnectTimer]) if (t !== null) this.opts.clock.clearTimer(t)
    this.keepalive = null
    this.reconnectTimer = null
    this.failPending(disconnected(this.path, 'the session was closed'))
    for (const w of this.readyWaiters) w.reject(disconnected(this.path, 'the session was closed'))
    this.readyWaiters.clear()
    this.helloSession = 0
    this.helloWait?.resolve(null as never)
    this.link.reset(0)
    const p = this.port
    this.port = null
    await p?.close()
    await this.connecting?.catch(() => undefined)
  }

  /** close() and forget every listener. */
  async dispose(): Promise<void> {
    await this.close()
    this.link.close()
    this.removeAllListeners()
  }
}
