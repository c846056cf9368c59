type Listener = (...a: unknown[]) => void

/** A small typed event emitter (listeners that throw are reported, not propagated). */
export class Emitter<E extends Record<string, unknown[]>> {
  private readonly map = new Map<keyof E, Set<Listener>>()

  on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): () => void {
    let set = this.map.get(event)
    if (!set) this.map.set(event, (set = new Set()))
    set.add(fn as unknown as Listener)
    return () => this.off(event, fn)
  }

  off<K extends keyof E>(event: K, fn: (...args: E[K]) => void): void {
    this.map.get(event)?.delete(fn as unknown as Listener)
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const fn of [...(this.map.get(event) ?? [])]) {
      try {
        ;(fn as unknown as (...a: E[K]) => void)(...args)
      } catch (e) {
        console.error(`listener of ${String(event)} failed:`, e)
      }
    }
  }

  get listenerCount(): number {
    let n = 0
    for (const s of this.map.values()) n += s.size
    return n
  }

  protected removeAllListeners(): void {
    this.map.clear()
  }
}
