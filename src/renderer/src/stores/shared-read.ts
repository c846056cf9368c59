import type { Ref } from 'vue'

/**
 * A store's list read that concurrent callers share (one request in flight), and `ready()`, which
 * resolves once the list has been read at least once, reading it if nobody has yet.
 */
export function sharedRead(read: () => Promise<void>, loaded: Ref<boolean>): { load(): Promise<void>; ready(): Promise<void> } {
  let inflight: Promise<void> | null = null
  const load = (): Promise<void> => (inflight ??= read().finally(() => (inflight = null)))
  const ready = async (): Promise<void> => {
    if (inflight) await inflight
    else if (!loaded.value) await load()
  }
  return { load, ready }
}
