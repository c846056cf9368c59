import type { EventName, Events, MethodName, ParamsIn, ResultOf } from '../../../shared/api/contract'
import type { Result } from '../../../shared/api/errors'
import type { ApiClient, ConnectionState } from '../api'

type Stub<M extends MethodName> = (params: ParamsIn<M>) => Result<ResultOf<M>> | Promise<Result<ResultOf<M>>>

/**
 * A fake api for store and component tests: every call must be stubbed, and an unstubbed call fails
 * the test loudly (it throws), so a store cannot quietly depend on something the test did not expect.
 */
export function fakeApi(initial: ConnectionState = 'open') {
  const stubs = new Map<MethodName, Stub<MethodName>>()
  const handlers = new Map<string, Set<(p: unknown) => void>>()
  const stateHandlers = new Set<(s: ConnectionState) => void>()
  const calls: Array<{ method: MethodName; params: unknown }> = []
  let state = initial
  const api: ApiClient = {
    transport: 'websocket',
    get state() {
      return state
    },
    async call<M extends MethodName>(method: M, params: ParamsIn<M>) {
      calls.push({ method, params })
      const s = stubs.get(method) as Stub<M> | undefined
      if (!s) throw new Error(`fakeApi: unexpected call ${method}(${JSON.stringify(params)}); stub it with api.stub('${method}', ...)`)
      return s(params)
    },
    on<E extends EventName>(name: E, h: (p: Events[E]) => void) {
      const set = handlers.get(name) ?? new Set()
      handlers.set(name, set)
      set.add(h as (p: unknown) => void)
      return () => set.delete(h as (p: unknown) => void)
    },
    onState(h) {
      stateHandlers.add(h)
      return () => stateHandlers.delete(h)
    },
    close() {}
  }
  return {
    api,
    calls,
    stub<M extends MethodName>(method: M, fn: Stub<M>) {
      stubs.set(method, fn as unknown as Stub<MethodName>)
    },
    emit<E extends EventName>(name: E, payload: Events[E]) {
      handlers.get(name)?.forEach((h) => h(payload))
    },
    setState(s: ConnectionState) {
      state = s
      stateHandlers.forEach((h) => h(s))
    }
  }
}
