import type { PortListener } from './types'

/** The listener sets of a BytePort. */
export class PortEvents {
  private readonly data = new Set<PortListener['data']>()
  private readonly close = new Set<PortListener['close']>()

  on<E extends keyof PortListener>(event: E, fn: PortListener[E]): void {
    ;(this[event] as Set<PortListener[E]>).add(fn)
  }

  off<E extends keyof PortListener>(event: E, fn: PortListener[E]): void {
    ;(this[event] as Set<PortListener[E]>).delete(fn)
  }

  emitData(bytes: Uint8Array): void {
    for (const fn of this.data) fn(bytes)
  }

  emitClose(reason: Parameters<PortListener['close']>[0]): void {
    const fns = [...this.close]
    this.data.clear()
    this.close.clear()
    for (const fn of fns) fn(reason)
  }
}
