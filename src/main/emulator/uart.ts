import type { Clock, TimerHandle } from '../../shared/wire/clock'
import { flipBits, type FaultSpec } from './faults'

/** What a virtual board's line counted. */
export interface UartCounters {
  bitsFlipped: number
  framesDropped: number
  bytesIn: number
  bytesOut: number
}

interface Timed {
  bytes: Uint8Array
  at: number
}

/** One direction of the line: bytes leave in order, each chunk when the line has carried it (8N1: 10 bits a byte). */
class PacedQueue {
  private readonly q: Timed[] = []
  private busyUntil = 0
  private timer: TimerHandle | null = null
  paused = false

  constructor(
    private readonly clock: Clock,
    /** Bytes per millisecond; 0 or Infinity: no pacing. */
    private readonly rate: number,
    private readonly sink: (b: Uint8Array) => void
  ) {}

  push(bytes: Uint8Array): void {
    if (!this.rate || !Number.isFinite(this.rate)) {
      if (!this.paused) return this.sink(bytes)
      this.q.push({ bytes, at: 0 })
      return
    }
    const now = this.clock.now()
    this.busyUntil = Math.max(now, this.busyUntil) + bytes.length / this.rate
    this.q.push({ bytes, at: this.busyUntil })
    this.arm()
  }

  private arm(): void {
    if (this.timer !== null || this.paused || !this.q.length) return
    this.timer = this.clock.setTimer(() => this.flush(), Math.max(0, this.q[0].at - this.clock.now()))
  }

  private flush(): void {
    this.timer = null
    const now = this.clock.now()
    while (this.q.length && !this.paused && this.q[0].at <= now + 0.5) this.sink((this.q.shift() as Timed).bytes)
    this.arm()
  }

  resume(): void {
    this.paused = false
    const now = this.clock.now()
    // The line was held: what waited goes out from now, at the line rate.
    this.busyUntil = now
    for (const t of this.q) {
      if (this.rate && Number.isFinite(this.rate)) {
        this.busyUntil += t.bytes.length / this.rate
        t.at = this.busyUntil
      }
    }
    if (!this.rate || !Number.isFinite(this.rate)) while (this.q.length) this.sink((this.q.shift() as Timed).bytes)
    this.arm()
  }

  clear(): void {
    this.q.length = 0
    if (this.timer !== null) this.clock.clearTimer(this.timer)
    this.timer = null
  }
}

/**
 * A virtual board's serial line: paces bytes both ways to the baud rate (so throughput is what a real
 * UART gives), and injects the line faults of a FaultSpec (bit errors, lost frames). Frames are dropped
 * whole: on the way out the board writes one frame per call; on the way in frames end at 0x00.
 */
export class Uart {
  readonly counters: UartCounters = { bitsFlipped: 0, framesDropped: 0, bytesIn: 0, bytesOut: 0 }
  private readonly out: PacedQueue
  private readonly inq: PacedQueue
  private dropping = false
  private atFrameStart = true
  private onBytes: (b: Uint8Array) => void = () => undefined

  constructor(
    clock: Clock,
    baud: number,
    pace: boolean,
    private readonly faults: FaultSpec,
    private readonly rand: () => number,
    private readonly send: (b: Uint8Array) => void
  ) {
    const rate = pace ? baud / 10 / 1000 : 0
    this.out = new PacedQueue(clock, rate, (b) => this.send(b))
    this.inq = new PacedQueue(clock, rate, (b) => this.onBytes(b))
  }

  /** Where received bytes go (the board's link). */
  receive(fn: (b: Uint8Array) => void): void {
    this.onBytes = fn
  }

  /** One frame from the board. */
  writeFrame(line: Uint8Array): void {
    if (this.faults.drop && this.rand() < this.faults.drop) {
      this.counters.framesDropped++
      return
    }
    const b = this.faults.ber ? line.slice() : line
    this.counters.bitsFlipped += flipBits(b, this.faults.ber, this.rand)
    this.counters.bytesOut += b.length
    this.out.push(b)
  }

  /** Bytes from the console, as the port delivers them. */
  feed(bytes: Uint8Array): void {
    this.counters.bytesIn += bytes.length
    let b = bytes
    if (this.faults.drop) b = this.dropFrames(b)
    if (this.faults.ber) {
      b = b === bytes ? b.slice() : b
      this.counters.bitsFlipped += flipBits(b, this.faults.ber, this.rand)
    }
    if (b.length) this.inq.push(b)
  }

  /** Keeps only the bytes of frames that survive; a lost frame keeps its delimiter (an idle fill). */
  private dropFrames(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length)
    let n = 0
    for (let i = 0; i < bytes.length; ) {
      if (this.atFrameStart) {
        if (bytes[i] === 0) {
          out[n++] = 0
          i++
          continue
        }
        this.dropping = this.rand() < this.faults.drop
        if (this.dropping) this.counters.framesDropped++
        this.atFrameStart = false
      }
      const z = bytes.indexOf(0, i)
      const end = z < 0 ? bytes.length : z
      if (!this.dropping) {
        out.set(bytes.subarray(i, end), n)
        n += end - i
      }
      if (z < 0) break
      out[n++] = 0
      this.atFrameStart = true
      this.dropping = false
      i = z + 1
    }
    return out.subarray(0, n)
  }

  /** The board stops reading and writing (bytes wait, as in a UART FIFO). */
  pause(): void {
    this.out.paused = true
    this.inq.paused = true
  }

  resume(): void {
    this.out.resume()
    this.inq.resume()
  }

  /** Forgets bytes in flight (a reboot or an unplug loses them). */
  clear(): void {
    this.out.clear()
    this.inq.clear()
    this.atFrameStart = true
    this.dropping = false
  }
}
