/**
 * Coordination of data-parallel workers through one shared Int32Array (`ctrl`), without messages:
 * a generation-counting barrier whose last arriver also snapshots the cancel request (so every worker
 * sees the same stop decision at the same step), and the epoch-end handshake with the main thread.
 */
export const CTRL = {
  /** Workers arrived at the current barrier. */
  COUNT: 0,
  /** Barrier generation; bumped when the last worker arrives. */
  GEN: 1,
  /** Set to 1 by the main thread to ask for a stop (cancel). */
  CANCEL: 2,
  /** CANCEL as the last arriver of the latest barrier saw it: the decision every worker acts on. */
  STOP: 3,
  /** Set to 1 by the main thread when a worker died: the others give up instead of waiting forever. */
  ABORT: 4,
  /** Bumped by the main thread when it has taken an epoch's snapshot; workers wait for it. */
  RELEASE: 5,
  /** The main thread's verdict at a release: 0 go on, 1 stop (early stopping, last epoch, cancel). */
  DECISION: 6,
  SIZE: 8
} as const

export class AbortedError extends Error {
  constructor() {
    super('training aborted: another worker failed')
    this.name = 'AbortedError'
  }
}

export const newCtrl = (): Int32Array => new Int32Array(new SharedArrayBuffer(CTRL.SIZE * 4))

const WAIT_SLICE_MS = 250

/** Blocks (worker threads only) until ctrl[i] is no longer `value`, checking ABORT every slice. */
function waitWhile(ctrl: Int32Array, i: number, value: number): void {
  while (Atomics.load(ctrl, i) === value) {
    Atomics.wait(ctrl, i, value, WAIT_SLICE_MS)
    if (Atomics.load(ctrl, CTRL.ABORT)) throw new AbortedError()
  }
}

/** Waits until all `parties` workers arrived; returns whether they must stop (cancel was requested). */
export function barrier(ctrl: Int32Array, parties: number): boolean {
  if (parties > 1) {
    const gen = Atomics.load(ctrl, CTRL.GEN)
    if (Atomics.add(ctrl, CTRL.COUNT, 1) === parties - 1) {
      Atomics.store(ctrl, CTRL.COUNT, 0)
      Atomics.store(ctrl, CTRL.STOP, Atomics.load(ctrl, CTRL.CANCEL))
      Atomics.add(ctrl, CTRL.GEN, 1)
      Atomics.notify(ctrl, CTRL.GEN)
    } else {
      waitWhile(ctrl, CTRL.GEN, gen)
    }
  } else {
    Atomics.store(ctrl, CTRL.STOP, Atomics.load(ctrl, CTRL.CANCEL))
  }
  return Atomics.load(ctrl, CTRL.STOP) !== 0
}

/** Waits for the main thread's release number `n` (1, 2, ...); returns true when told to stop. */
export function awaitRelease(ctrl: Int32Array, n: number): boolean {
  for (;;) {
    const r = Atomics.load(ctrl, CTRL.RELEASE)
    if (r >= n) break
    waitWhile(ctrl, CTRL.RELEASE, r)
  }
  return Atomics.load(ctrl, CTRL.DECISION) !== 0
}

/** Main thread: lets the workers past release `n` with a verdict. Never blocks. */
export function release(ctrl: Int32Array, stop: boolean): void {
  Atomics.store(ctrl, CTRL.DECISION, stop ? 1 : 0)
  Atomics.add(ctrl, CTRL.RELEASE, 1)
  Atomics.notify(ctrl, CTRL.RELEASE)
}
