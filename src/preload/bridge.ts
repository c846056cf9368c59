import { methodNames, type EventName, type Events, type MethodName } from '../shared/api/contract'
import { IPC_EVENT, IPC_INVOKE } from '../shared/api/envelope'
import type { Result } from '../shared/api/errors'

/** The part of ipcRenderer the bridge uses (the preload passes the real one; tests a fake). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void
}

export type EventHandler = <E extends EventName>(name: E, payload: Events[E]) => void

/** What the preload exposes as `window.diredi`: one named function per method, and an event subscription. */
export interface DirediBridge {
  invoke: Record<MethodName, (params: unknown) => Promise<Result<unknown>>>
  onEvent(handler: EventHandler): () => void
}

/** Builds the bridge from the contract's method names; nothing else of ipcRenderer is reachable. */
export function buildBridge(ipc: IpcRendererLike): DirediBridge {
  const invoke = {} as DirediBridge['invoke']
  for (const m of methodNames) invoke[m] = (params) => ipc.invoke(IPC_INVOKE, m, params) as Promise<Result<unknown>>
  return {
    invoke: Object.freeze(invoke),
    onEvent(handler) {
      const l = (_e: unknown, name: unknown, payload: unknown) => handler(name as EventName, payload as Events[EventName])
      ipc.on(IPC_EVENT, l)
      return () => ipc.removeListener(IPC_EVENT, l)
    }
  }
}
