import type { EventName, Events, MethodName, ParamsIn, ResultOf } from '../../../shared/api/contract'
import type { Result } from '../../../shared/api/errors'

export type ConnectionState = 'connecting' | 'open' | 'closed'

/** The renderer's only way to the console: typed calls, events, and the connection state. */
export interface ApiClient {
  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<ResultOf<M>>>
  on<E extends EventName>(name: E, handler: (payload: Events[E]) => void): () => void
  readonly state: ConnectionState
  onState(handler: (s: ConnectionState) => void): () => void
  /** Which transport carries the calls: shown in the status screen. */
  readonly transport: 'ipc' | 'websocket'
  /** A problem the transport knows of before any call (e.g. no session token), for the UI to show. */
  readonly problem?: string
  close(): void
}
