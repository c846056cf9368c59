import type { Clock, TimerHandle } from './clock'
import { countWireError, emptyCounters, type LinkCounters } from './counters'
import type { WireError } from './errors'
import { Frame, type Channel } from './frame'
import { FrameParser } from './parser'
import { MESSAGES } from './messages'
import { RttEstimator } from './rtt'

/** The largest window: the selective-acknowledgement bitmap covers 32 frames after `ack`. */
export const MAX_WINDOW = 32

export interface LinkOptions {
  /** Frames in flight before `send` queues. 1..32. */
  window: number
  initialRtoMs: number
  minRtoMs: number
  maxRtoMs: number
  /** A frame unacknowledged this long (ms since first sent), after at least `minTries` tries, declares the link dead. */
  deadAfterMs: number
  minTries: number
  /** A frame sent this many times without acknowledgement declares the link dead, however soon. */
  maxTries: number
  /**
   * The line's byte rate (bytes per ms; 0: unknown). On a serial line a frame queued behind others leaves
   * only when they have: its timer and its round-trip sample start when its last byte is on the wire, so
   * the timeout measures the peer, not our own queue.
   */
  bytesPerMs: number
  /** Delay before a standalone ACK, so that one ACK can cover a burst (0: at the next timer turn). */
  ackDelayMs: number
}

export const DEFAULT_LINK_OPTIONS: LinkOptions = {
  window: 16,
  initialRtoMs: 200,
  minRtoMs: 120,
  maxRtoMs: 1000,
  deadAfterMs: 6000,
  minTries: 4,
  maxTries: 64,
  ackDelayMs: 0,
  bytesPerMs: 0
}

export type LinkErrorCode = 'RESET' | 'DEAD' | 'CLOSED'

export class LinkError extends Error {
  constructor(
    readonly code: LinkErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'LinkError'
  }
}

interface Pending {
  seq: number
  type: number
  channel: Channel
  payload: Uint8Array
  sentAt: number
  firstSentAt: number
  tries: number
  retransmitted: boolean
  /** Order of this frame's latest transmission among all transmissions of this link. */
  lastTx: number
  timer: TimerHandle | null
  resolve(): void
  reject(e: Error): void
}

const ACK_TYPE = MESSAGES.ACK.type
const HELLO_TYPES = new Set<number>([MESSAGES.HELLO.type, MESSAGES.HELLO_INFO.type])
const M16 = 0x10000
const dist = (from: number, to: number) => (to - from + M16) % M16

/**
 * Reliable, ordered delivery over a lossy byte line (selective repeat ARQ): every RELIABLE frame carries a
 * sequence number and is resent on an adaptive timeout (rtt.ts) or when selective acks show a hole, until
 * acknowledged; the receiver delivers in order exactly once and drops duplicates. Every frame sent carries
 * the current ack and sack, and a standalone ACK goes out when nothing else does.
 *
 * A session epoch (set by the HELLO exchange) tags frames so that nothing from an earlier session is taken
 * for a frame of this one. Pure: bytes go out through `write`, frames come in through `receive`.
 */
export class ReliableLink {
  readonly counters: LinkCounters = emptyCounters()
  private readonly opts: LinkOptions
  private readonly rtt: RttEstimator
  private epochValue = 0
  private versionValue: number
  // sender
  private nextSeq = 0
  private sendBase = 0
  private readonly out = new Map<number, Pending>()
  private readonly queue: Pending[] = []
  private txCount = 0
  /** When the line will have sent everything written so far (ms, clock time). */
  private lineFreeAt = 0
  /** The latest transmission the peer has acknowledged (by lastTx). */
  private ackedTx = 0
  // receiver
  private rcvNext = 0
  private readonly held = new Map<number, Frame>()
  private ackTimer: TimerHandle | null = null
  private ackOwed = false
  private closed = false
  private readonly parser = new FrameParser(
    (f) => this.receive(f),
    (e) => this.refused(e)
  )

  /** Called with each data frame in order (reliable) or as it comes (best effort). */
  onDeliver: (f: Frame) => void = () => undefined
  /** Called once when a frame went unacknowledged `maxTries` times. */
  onDead: (why: string) => void = () => undefined
  /** Called when a reliable frame arrives while no session is open (epoch 0) or of another epoch. */
  onStale: (f: Frame) => void = () => undefined

  constructor(
    private readonly clock: Clock,
    private readonly write: (line: Uint8Array) => void,
    opts: Partial<LinkOptions> = {},
    version = 1
  ) {
    this.opts = { ...DEFAULT_LINK_OPTIONS, ...opts }
    if (!Number.isInteger(this.opts.window) || this.opts.window < 1 || this.opts.window > MAX_WINDOW) {
      throw new RangeError(`link window must be 1..${MAX_WINDOW}, got ${this.opts.window}`)
    }
    this.rtt = new RttEstimator(this.opts.initialRtoMs, this.opts.minRtoMs, this.opts.maxRtoMs)
    this.counters.rtoMs = this.rtt.rto
    this.versionValue = version
  }

  get epoch(): number {
    return this.epochValue
  }

  get version(): number {
    return this.versionValue
  }

  /** Sets the line rate (e.g. once HELLO told it), bytes per ms; 0: unknown. */
  setLineRate(bytesPerMs: number): void {
    this.opts.bytesPerMs = bytesPerMs
  }

  /** Frames sent and not yet acknowledged, plus frames waiting for window space. */
  get backlog(): number {
    return this.out.size + this.queue.length
  }

  /**
   * Starts a new session: forgets every sequence number and rejects what was in flight (LinkError RESET).
   * Epoch 0 means no session: reliable frames are neither sent nor accepted.
   */
  reset(epoch: number, version = this.versionValue): void {
    this.failAll(new LinkError('RESET', 'the session was restarted'))
    this.epochValue = epoch & 0xff
    this.versionValue = version
    this.nextSeq = 0
    this.sendBase = 0
    this.ackedTx = this.txCount
    this.rcvNext = 0
    this.held.clear()
    this.ackOwed = false
    this.rtt.reset()
    this.counters.rtoMs = this.rtt.rto
  }

  /** Sends a frame reliably; resolves when the peer acknowledged it. Rejects with LinkError on reset, death or close. */
  send(type: number, payload: Uint8Array, channel: Channel = 'data'): Promise<void> {
    if (this.closed) return Promise.reject(new LinkError('CLOSED', 'the link is closed'))
    if (this.epochValue === 0) return Promise.reject(new LinkError('RESET', 'no session is open; handshake first'))
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ seq: -1, type, channel, payload, sentAt: 0, firstSentAt: 0, tries: 0, retransmitted: false, lastTx: 0, timer: null, resolve, reject })
      this.pump()
    })
  }

  /** Sends a best-effort frame (HELLO, LOG, ...); it still carries the current acknowledgement. */
  sendUnreliable(type: number, payload: Uint8Array, channel: Channel = 'data', version = this.versionValue): void {
    if (this.closed) return
    this.emit(new Frame({ ...this.ackFields(), version, type, reliable: false, channel, seq: 0, payload }))
  }

  /** Takes bytes from the line: frames them (parser.ts) and receives each good one. */
  feed(bytes: Uint8Array): void {
    if (this.closed) return
    this.counters.bytesIn += bytes.length
    this.parser.push(bytes)
  }

  /** Forgets a partly received frame (after the port was reopened). */
  resetParser(): void {
    this.parser.reset()
  }

  /** Counts a frame the parser refused. */
  refused(e: WireError): void {
    countWireError(this.counters, e.code)
  }

  /** Takes one frame from the parser. */
  receive(f: Frame): void {
    if (this.closed) return
    this.counters.framesIn++
    if (f.version !== this.versionValue && !HELLO_TYPES.has(f.type)) {
      this.counters.stale++
      return
    }
    const inSession = this.epochValue !== 0 && f.epoch === this.epochValue
    if (f.hasAck && inSession) this.takeAck(f.ack, f.sack)
    if (f.type === ACK_TYPE && !f.reliable) {
      if (!inSession) this.counters.stale++
      return
    }
    if (!f.reliable) {
      this.onDeliver(f)
      return
    }
    if (!inSession) {
      this.counters.stale++
      this.onStale(f)
      return
    }
    this.takeReliable(f)
  }

  /** Stops every timer and rejects what is in flight. Idempotent. */
  close(): void {
    if (this.closed) return
    this.failAll(new LinkError('CLOSED', 'the link is closed'))
    this.closed = true
  }

  // ---- sender ----

  private pump(): void {
    while (this.queue.length && dist(this.sendBase, this.nextSeq) < this.opts.window) {
      const p = this.queue.shift() as Pending
      p.seq = this.nextSeq
      this.nextSeq = (this.nextSeq + 1) % M16
      this.out.set(p.seq, p)
      this.transmit(p)
    }
  }

  private transmit(p: Pending): void {
    p.tries++
    const now = this.clock.now()
    if (p.tries === 1) p.firstSentAt = now
    p.lastTx = ++this.txCount
    this.emit(new Frame({ ...this.ackFields(), version: this.versionValue, type: p.type, reliable: true, channel: p.channel, seq: p.seq, payload: p.payload }))
    p.sentAt = Math.max(now, this.lineFreeAt)
    if (p.timer !== null) this.clock.clearTimer(p.timer)
    p.timer = this.clock.setTimer(() => this.expire(p), p.sentAt - now + this.rtt.rto)
  }

  private expire(p: Pending): void {
    p.timer = null
    if (this.out.get(p.seq) !== p) return
    this.counters.timeouts++
    const waited = this.clock.now() - p.firstSentAt
    if (p.tries >= this.opts.maxTries || (p.tries >= this.opts.minTries && waited >= this.opts.deadAfterMs)) {
      const why = `frame ${p.seq} (type 0x${p.type.toString(16)}) unacknowledged after ${p.tries} tries in ${Math.round(waited)} ms`
      this.failAll(new LinkError('DEAD', `the board stopped answering: ${why}`))
      this.onDead(why)
      return
    }
    // Back off once per loss event (the oldest frame's timer), not once per frame that expired with it.
    if (p.seq === this.sendBase) {
      this.rtt.backoff()
      this.counters.rtoMs = this.rtt.rto
    }
    this.resend(p)
  }

  private resend(p: Pending): void {
    this.counters.retransmits++
    p.retransmitted = true
    this.transmit(p)
  }

  private takeAck(ack: number, sack: number): void {
    const span = dist(this.sendBase, this.nextSeq)
    const advance = dist(this.sendBase, ack)
    if (advance > span) return // an ack for frames never sent (or of an older round): ignore
    const now = this.clock.now()
    let sample: number | null = null
    let ackedTx = this.ackedTx
    const complete = (seq: number) => {
      const p = this.out.get(seq)
      if (!p) return
      this.out.delete(seq)
      if (p.timer !== null) this.clock.clearTimer(p.timer)
      if (!p.retransmitted) sample = now - p.sentAt
      ackedTx = Math.max(ackedTx, p.lastTx)
      p.resolve()
    }
    for (let i = 0; i < advance; i++) complete((this.sendBase + i) % M16)
    this.sendBase = ack
    for (let i = 0; i < 32; i++) {
      if (!((sack >>> i) & 1)) continue
      const seq = (ack + 1 + i) % M16
      if (dist(this.sendBase, seq) >= dist(this.sendBase, this.nextSeq)) break
      complete(seq)
    }
    if (sample !== null) {
      this.rtt.sample(sample)
      this.counters.srttMs = this.rtt.srtt ?? 0
      this.counters.rtoMs = this.rtt.rto
    }
    // The line keeps order: a frame still unacknowledged whose latest transmission went out before one the
    // peer has acknowledged was lost. Send it again now rather than wait for its timer.
    this.ackedTx = ackedTx
    for (const p of this.out.values()) {
      if (p.lastTx < ackedTx) {
        this.counters.fastRetransmits++
        this.resend(p)
      }
    }
    this.pump()
  }

  // ---- receiver ----

  private takeReliable(f: Frame): void {
    const d = dist(this.rcvNext, f.seq)
    if (d === 0) {
      this.rcvNext = (this.rcvNext + 1) % M16
      this.onDeliver(f)
      for (let g = this.held.get(this.rcvNext); g; g = this.held.get(this.rcvNext)) {
        this.held.delete(this.rcvNext)
        this.rcvNext = (this.rcvNext + 1) % M16
        if (this.closed) return
        this.onDeliver(g)
      }
    } else if (d <= MAX_WINDOW) {
      if (this.held.has(f.seq)) this.counters.duplicates++
      else this.held.set(f.seq, f)
    } else if (d >= M16 - MAX_WINDOW * 2) {
      this.counters.duplicates++ // already delivered: the ack was lost; acknowledge again
    } else {
      this.counters.outOfWindow++
    }
    this.owe()
  }

  private owe(): void {
    this.ackOwed = true
    if (this.ackTimer !== null || this.closed) return
    this.ackTimer = this.clock.setTimer(() => {
      this.ackTimer = null
      if (!this.ackOwed || this.closed || this.epochValue === 0) return
      this.counters.acksOut++
      this.emit(new Frame({ ...this.ackFields(), version: this.versionValue, type: ACK_TYPE, reliable: false, channel: 'data', seq: 0, payload: new Uint8Array(0) }))
    }, this.opts.ackDelayMs)
  }

  private ackFields(): { hasAck: boolean; epoch: number; ack: number; sack: number } {
    if (this.epochValue === 0) return { hasAck: false, epoch: 0, ack: 0, sack: 0 }
    let sack = 0
    for (const seq of this.held.keys()) {
      const i = dist(this.rcvNext, seq) - 1
      if (i >= 0 && i < 32) sack |= 1 << i
    }
    return { hasAck: true, epoch: this.epochValue, ack: this.rcvNext, sack: sack >>> 0 }
  }

  private emit(f: Frame): void {
    if (f.hasAck) this.ackOwed = false
    const line = f.toLine()
    if (this.opts.bytesPerMs > 0) this.lineFreeAt = Math.max(this.clock.now(), this.lineFreeAt) + line.length / this.opts.bytesPerMs
    this.counters.framesOut++
    this.counters.bytesOut += line.length
    this.write(line)
  }

  private failAll(e: LinkError): void {
    const all = [...this.out.values(), ...this.queue]
    this.out.clear()
    this.queue.length = 0
    for (const p of all) {
      if (p.timer !== null) this.clock.clearTimer(p.timer)
      p.reject(e)
    }
    if (this.ackTimer !== null) {
      this.clock.clearTimer(this.ackTimer)
      this.ackTimer = null
    }
  }
}
