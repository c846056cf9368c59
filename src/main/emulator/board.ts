import { sameBytes, sha256 } from '../core/hash'
import { mulberry32 } from '../../shared/random'
import type { TimerHandle } from '../../shared/wire/clock'
import { decodePayload, encodePayload } from '../../shared/wire/codec'
import { WireError } from '../../shared/wire/errors'
import type { SlotInfo } from '../../shared/wire/fields'
import type { Frame } from '../../shared/wire/frame'
import { ReliableLink } from '../../shared/wire/link'
import {
  CAP, MESSAGES, type BoardErrorCode, type BoardMessageName,
  type LOG_LEVELS, type MessageValue, type SlotName
} from '../../shared/wire/messages'
import { AdaptJobs } from './board-adapt'
import { evalPrivate, infer } from './board-infer'
import { bootTrial, confirm, FaultPlan, flashBegin, flashData, flashEnd, revert } from './board-slots'
import type { LoadedModel } from './runtime'
import { newFlash, type BoardFlash } from './storage'
import { Uart } from './uart'
import { type BoardConfig, type BoardCounters, type BoardEnv, type BoardHost } from './board-host'


/**
 * A virtual board: a complete firmware stand-in speaking the wire protocol. Two model slots in flash
 * (storage.ts), the MCUboot-style rules (a slot runs only after its SHA-256 matched, first on trial; a trial
 * that is not confirmed is reverted on reboot, on a new session or by a watchdog), inference through the
 * int8 runtime, private data that only leaves as aggregates, adaptation jobs with signed knowledge, and the
 * faults of a FaultSpec.
 */
export class VirtualBoard implements BoardHost {
  readonly flash: BoardFlash
  readonly uart: Uart
  readonly counters: BoardCounters = { misplacedChunks: 0, unplugs: 0, reboots: 0, stalls: 0, reverts: 0 }
  readonly rand: () => number
  readonly jobs: AdaptJobs
  readonly faultPlan: FaultPlan
  link: ReliableLink
  sessionId = 0
  running: SlotName | null = null
  trial = false
  model: LoadedModel | null = null
  private trialTimer: TimerHandle | null = null
  private stallTimer: TimerHandle | null = null
  private bootedAt = 0
  private unsyncedAt = -Infinity
  private disposed = false

  constructor(
    readonly cfg: BoardConfig,
    readonly env: BoardEnv,
    send: (bytes: Uint8Array) => void,
    flash?: BoardFlash
  ) {
    this.flash = flash ?? newFlash(cfg.flashBytes)
    this.rand = mulberry32(env.faults.seed)
    this.uart = new Uart(env.clock, cfg.baud, cfg.pace, env.faults, this.rand, send)
    this.uart.receive((b) => this.link.feed(b))
    this.jobs = new AdaptJobs(this)
    this.faultPlan = new FaultPlan(this)
    this.link = this.makeLink()
    this.boot()
  }

  /** Bytes from the console's side of the line. */
  input(bytes: Uint8Array): void {
    if (!this.disposed) this.uart.feed(bytes)
  }

  get uptimeMs(): number {
    return Math.max(0, Math.round(this.env.clock.now() - this.bootedAt))
  }

  private makeLink(): ReliableLink {
    const link = new ReliableLink(this.env.clock, (line) => this.uart.writeFrame(line), { bytesPerMs: this.cfg.pace ? this.cfg.baud / 10_000 : 0, ...this.env.link }, this.cfg.maxVersion)
    link.onDeliver = (f) => this.onFrame(f)
    link.onStale = () => this.unsynced()
    link.onDead = (why) => this.endSession(`the console stopped acknowledging (${why})`)
    return link
  }

  /** Power-on: boots the confirmed slot after checking its hash (a slot that fails is not run). */
  private boot(): void {
    this.flash.bootCount++
    this.bootedAt = this.env.clock.now()
    this.sessionId = 0
    this.link.reset(0)
    this.trial = false
    this.bootActive()
    this.persist()
  }

  /** Tells the environment the flash changed (it may keep it on disk). */
  persist(): void {
    this.env.persist?.(this.flash)
  }

  /** Runs the confirmed slot, if its content still hashes to what was confirmed. */
  bootActive(): void {
    this.running = null
    this.model = null
    const a = this.flash.active
    if (!a) return
    const s = this.flash.slots[a]
    if (s.state !== 'confirmed' || !sameBytes(sha256(s.bytes.subarray(0, s.size)), s.hash)) {
      this.log('error', `slot ${a} does not verify; running no model`)
      return
    }
    try {
      this.model = this.env.runtime?.load(s.bytes.subarray(0, s.size)) ?? null
      this.running = this.model ? a : null
    } catch (e) {
      this.log('error', `slot ${a} does not load: ${(e as Error).message}`)
    }
  }

  /** Restarts the firmware: RAM state, the session and any trial are gone; flash stays. */
  reboot(reason: string): void {
    if (this.disposed) return
    this.counters.reboots++
    this.jobs.cancelAll('reboot')
    this.clearTrialTimer()
    this.uart.clear()
    this.link.close()
    this.link = this.makeLink()
    this.boot()
    this.log('warn', `rebooted (${reason}); running ${this.running ?? 'no model'}`)
  }

  /** The console is gone: forget the session; a trial does not outlive it. */
  endSession(why: string): void {
    this.sessionId = 0
    this.link.reset(0)
    if (this.trial) this.revertTrial(`session ended: ${why}`)
  }

  revertTrial(why: string): void {
    if (!this.trial) return
    this.counters.reverts++
    this.clearTrialTimer()
    this.trial = false
    const was = this.running
    this.bootActive()
    this.log('warn', `trial of slot ${was} reverted (${why}); running ${this.running ?? 'no model'}`)
  }

  startTrialTimer(): void {
    this.clearTrialTimer()
    this.trialTimer = this.env.clock.setTimer(() => {
      this.trialTimer = null
      this.revertTrial(`not confirmed within ${this.cfg.trialTimeoutMs} ms`)
    }, this.cfg.trialTimeoutMs)
  }

  clearTrialTimer(): void {
    if (this.trialTimer !== null) this.env.clock.clearTimer(this.trialTimer)
    this.trialTimer = null
  }

  unplug(ms: number): void {
    this.counters.unplugs++
    this.uart.clear()
    this.env.unplug(ms)
  }

  /** Stops reading and writing for `ms` (a firmware hang that ends). */
  stall(ms: number): void {
    this.counters.stalls++
    this.uart.pause()
    if (this.stallTimer !== null) this.env.clock.clearTimer(this.stallTimer)
    this.stallTimer = this.env.clock.setTimer(() => {
      this.stallTimer = null
      this.uart.resume()
    }, ms)
  }

  private unsynced(): void {
    const now = this.env.clock.now()
    if (now - this.unsyncedAt < 100) return
    this.unsyncedAt = now
    this.sendMsg('UNSYNCED', { bootCount: this.flash.bootCount })
  }

  // ---- messages ----

  sendMsg<N extends BoardMessageName>(name: N, value: MessageValue<N>, version?: number): void {
    if (this.disposed) return
    const def = MESSAGES[name]
    const payload = encodePayload(name, value)
    if (def.reliable) this.link.send(def.type, payload, def.channel).catch(() => undefined)
    else this.link.sendUnreliable(def.type, payload, def.channel, version)
  }

  fail(rid: number, code: BoardErrorCode, detail: string): void {
    this.sendMsg('ERROR', { rid, code, detail: detail.slice(0, 200) })
  }

  log(level: (typeof LOG_LEVELS)[number], text: string): void {
    this.sendMsg('LOG', { level, uptimeMs: this.uptimeMs, text: `${this.cfg.boardId}: ${text}`.slice(0, 255) })
  }

  slotInfo(name: SlotName): SlotInfo {
    const s = this.flash.slots[name]
    const state = this.trial && this.running === name ? 'trial' : s.state
    return { state, size: s.size, written: s.written, hash: s.hash }
  }

  slotsValue() {
    return { active: this.flash.active ?? 'none', running: this.running ?? 'none', trial: this.trial, slotA: this.slotInfo('a'), slotB: this.slotInfo('b') } as const
  }

  /** SHA-256 of the running model's slot (the `base` adaptation is bound to). */
  runningHash(): Uint8Array | null {
    return this.running ? this.flash.slots[this.running].hash : null
  }

  private onFrame(f: Frame): void {
    let m
    try {
      m = decodePayload(f.type, f.payload)
    } catch (e) {
      if (!(e instanceof WireError)) throw e
      this.link.counters.payloadErrors++
      return
    }
    this.dispatch(m)
  }

  private dispatch(m: ReturnType<typeof decodePayload>): void {
    switch (m.name) {
      case 'HELLO':
        return this.hello(m.value)
      case 'PING':
        return this.sendMsg('PONG', { rid: m.value.rid, uptimeMs: this.uptimeMs })
      case 'STATS_GET': {
        const c = this.link.counters
        return this.sendMsg('STATS', {
          rid: m.value.rid, framesIn: c.framesIn, framesOut: c.framesOut, bytesIn: c.bytesIn, bytesOut: c.bytesOut, crcErrors: c.crcErrors,
          framingErrors: c.framingErrors, retransmits: c.retransmits, timeouts: c.timeouts, duplicates: c.duplicates
        })
      }
      case 'REBOOT': {
        const link = this.link
        link.send(MESSAGES.OK.type, encodePayload('OK', { rid: m.value.rid })).then(
          () => link === this.link && this.reboot('the console asked'),
          () => undefined
        )
        return
      }
      case 'SLOTS_GET':
        return this.sendMsg('SLOTS', { rid: m.value.rid, ...this.slotsValue() })
      case 'FLASH_BEGIN':
        return flashBegin(this, m.value)
      case 'FLASH_DATA':
        return flashData(this, m.value)
      case 'FLASH_END':
        return flashEnd(this, m.value)
      case 'BOOT_TRIAL':
        return bootTrial(this, m.value)
      case 'CONFIRM':
        return confirm(this, m.value)
      case 'REVERT':
        return revert(this, m.value.rid)
      case 'INFER':
        return infer(this, m.value)
      case 'EVAL_PRIVATE':
        return evalPrivate(this, m.value)
      case 'PAIR':
        return this.jobs.pair(m.value)
      case 'ADAPT_START':
        return this.jobs.start(m.value)
      case 'ADAPT_STATUS':
        return this.jobs.status(m.value)
      case 'KNOWLEDGE_GET':
        return this.jobs.read(m.value)
      case 'ADAPT_CANCEL':
        return this.jobs.cancel(m.value)
      default:
        // a board message sent to a board, or an ACK: nothing to do
        return
    }
  }

  private hello(v: MessageValue<'HELLO'>): void {
    const lo = Math.max(v.minVersion, this.cfg.minVersion)
    const hi = Math.min(v.maxVersion, this.cfg.maxVersion)
    const version = lo <= hi ? hi : 0
    if (version && v.session !== this.sessionId) {
      if (this.trial) this.revertTrial('a new session began')
      this.sessionId = v.session
      this.link.reset(v.session & 0xff, version)
    }
    const c = this.cfg
    this.sendMsg(
      'HELLO_INFO',
      {
        session: v.session, minVersion: c.minVersion, maxVersion: c.maxVersion, version,
        boardId: c.boardId, boardClass: c.boardClass, firmware: c.firmware,
        flashBytes: c.flashBytes, ramBytes: c.ramBytes, adaptation: c.adaptation, lineRate: c.baud,
        caps: capsOf(this), paired: this.flash.key !== null, bootCount: this.flash.bootCount,
        ...this.slotsValue()
      },
      version || c.maxVersion
    )
  }

  /** Stops every timer; the board is gone. */
  dispose(): void {
    if (this.disposed) return
    this.jobs.cancelAll('power off')
    this.clearTrialTimer()
    if (this.stallTimer !== null) this.env.clock.clearTimer(this.stallTimer)
    this.uart.clear()
    this.link.close()
    this.disposed = true
  }
}

function capsOf(b: VirtualBoard): number {
  let caps = CAP.INFER | CAP.RESUME | CAP.PAIRING
  if (b.env.data) caps |= CAP.PRIVATE_EVAL
  if (b.env.adapter && b.cfg.adaptation !== 'none') caps |= CAP.ADAPT
  return caps
}

