/** A small listener set keyed by name, shared by both transports. */
export class Listeners<T extends (...args: never[]) => void> {
  private readonly map = new Map<string, Set<T>>()

  add(key: string, fn: T): () => void {
    let s = this.map.get(key)
    if (!s) this.map.set(key, (s = new Set()))
    s.add(fn)
    return () => s.delete(fn)
  }

  emit(key: string, ...args: Parameters<T>): void {
    for (const fn of this.map.get(key) ?? []) {
      try {
        fn(...args)
      } catch (e) {
        console.error(`listener for ${key} failed`, e)
      }
    }
  }
}
