import type { EventName, Events } from '../../shared/api/contract'

export type EventListener = <E extends EventName>(name: E, payload: Events[E]) => void

/** The console's typed event bus: services emit, hosts forward to every connected UI. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload)
      } catch (e) {
        console.error(`event listener for ${name} failed:`, e)
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get listenerCount(): number {
    return this.listeners.size
  }

  dispose(): void {
    this.listeners.clear()
  }
}
