import { performance } from 'node:perf_hooks'
import type { Clock } from '../../shared/wire/clock'

/** The wall clock for links in the console and in virtual boards (monotonic milliseconds). */
export const nodeClock: Clock = {
  now: () => performance.now(),
  // Timers stay referenced: a leaked one keeps the process alive and shows in leak checks; owners clear them on dispose.
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (t) => clearTimeout(t as NodeJS.Timeout)
}
