/**
 * Time as the link sees it. Injected so that the pure link logic runs on real timers in the console and
 * the emulator, and on a manual clock in tests (no test depends on the machine's speed).
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number
  setTimer(fn: () => void, ms: number): TimerHandle
  clearTimer(t: TimerHandle): void
}

/** Opaque to the link: whatever the clock's setTimer returns. */
export type TimerHandle = unknown

/** A clock driven by hand: `advance(ms)` runs the timers that fall due, in order. For tests and simulations. */
export class ManualClock implements Clock {
  private t = 0
  private seq = 0
  private readonly timers = new Map<number, { at: number; fn: () => void }>()

  now(): number {
    return this.t
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn })
    return id
  }

  clearTimer(t: TimerHandle): void {
    this.timers.delete(t as number)
  }

  get pending(): number {
    return this.timers.size
  }

  /** Moves time forward by `ms`, firing every timer due on the way (timers set while firing included). */
  advance(ms: number): void {
    const end = this.t + ms
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e
      if (!next) break
      this.timers.delete(next[0])
      this.t = Math.max(this.t, next[1].at)
      next[1].fn()
    }
    this.t = end
  }

  /** Fires timers until none is left or `maxMs` passed; returns the time spent. */
  runAll(maxMs = 3_600_000): number {
    const start = this.t
    while (this.timers.size && this.t - start < maxMs) {
      const at = Math.min(...[...this.timers.values()].map((x) => x.at))
      this.advance(Math.max(0, at - this.t))
    }
    return this.t - start
  }
}
