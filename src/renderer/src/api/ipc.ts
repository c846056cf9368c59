import type { EventName, MethodName } from '../../../shared/api/contract'
import type { Result } from '../../../shared/api/errors'
import { Listeners } from './emitter'
import type { ApiClient } from './types'

/** The preload's `window.diredi` (see src/preload/bridge.ts), as the renderer sees it. */
export interface DirediWindowBridge {
  invoke: Record<string, (params: unknown) => Promise<Result<unknown>>>
  onEvent(handler: (name: string, payload: unknown) => void): () => void
}

/** The Electron transport: named functions the preload exposed. */
export function ipcClient(bridge: DirediWindowBridge): ApiClient {
  const events = new Listeners<(p: unknown) => void>()
  const off = bridge.onEvent((name, payload) => events.emit(name, payload))
  return {
    transport: 'ipc',
    state: 'open',
    call(method: MethodName, params: unknown) {
      const fn = bridge.invoke[method]
      if (!fn) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method ${method}` } })
      return fn(params)
    },
    on(name: EventName, handler: (p: never) => void) {
      return events.add(name, handler as (p: unknown) => void)
    },
    onState: () => () => undefined,
    close: off
  } as ApiClient
}
