/**
 * Serialises async critical sections (check a name, then write) within one process. Writes from two
 * consoles on one data directory stay safe because entries are content-addressed and renamed into
 * place whole; only the name check could race across processes.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn)
    this.tail = next.catch(() => undefined)
    return next
  }
}
