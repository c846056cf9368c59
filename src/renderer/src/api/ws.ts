import type { EventName, MethodName } from '../../../shared/api/contract'
import type { HostMessage } from '../../../shared/api/envelope'
import type { Result } from '../../../shared/api/errors'
import { Listeners } from './emitter'
import type { ApiClient, ConnectionState } from './types'

const CALL_TIMEOUT_MS = 10 * 60 * 1000

/** The part of the WebSocket API this client uses (the browser's, or the `ws` package's in tests). */
export interface SocketLike {
  readonly readyState: number
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: unknown) => void) | null
  send(data: string): void
  close(): void
}
export type SocketFactory = new (url: string) => SocketLike

const browserSocket = (): SocketFactory => (globalThis as unknown as { WebSocket: SocketFactory }).WebSocket

/**
 * The browser transport: one WebSocket to the web host, requests matched to responses by id,
 * reconnecting with back-off. Calls made while disconnected wait for the connection; calls in flight
 * when it drops fail with a coded error rather than hanging.
 */
export function wsClient(url: string, WS: SocketFactory = browserSocket()): ApiClient {
  const events = new Listeners<(p: unknown) => void>()
  const stateListeners = new Set<(s: ConnectionState) => void>()
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>()
  const queue: string[] = []
  let nextId = 1
  let state: ConnectionState = 'connecting'
  let ws: SocketLike | null = null
  let closed = false
  let backoff = 250

  const setState = (s: ConnectionState) => {
    if (s === state) return
    state = s
    for (const l of stateListeners) l(s)
  }

  const connect = () => {
    setState('connecting')
    const sock = new WS(url)
    ws = sock
    sock.onopen = () => {
      backoff = 250
      setState('open')
      while (queue.length) sock.send(queue.shift() as string)
    }
    sock.onmessage = (ev) => {
      let m: HostMessage
      try {
        m = JSON.parse(String(ev.data)) as HostMessage
      } catch {
        return
      }
      if (m.t === 'res') {
        const p = pending.get(m.id)
        if (p) {
          clearTimeout(p.timer)
          pending.delete(m.id)
          p.resolve(m.result as Result<unknown>)
        }
      } else if (m.t === 'evt') events.emit(m.name, m.payload)
    }
    sock.onclose = () => {
      ws = null
      for (const [id, p] of pending) {
        clearTimeout(p.timer)
        p.resolve({ ok: false, error: { code: 'INTERNAL', message: 'the connection to the console closed before it answered; try again' } })
        pending.delete(id)
      }
      if (closed) return setState('closed')
      setState('closed')
      setTimeout(connect, backoff)
      backoff = Math.min(backoff * 2, 5000)
    }
  }
  connect()

  return {
    transport: 'websocket',
    get state() {
      return state
    },
    call(method: MethodName, params: unknown) {
      const id = nextId++
      const text = JSON.stringify({ t: 'req', id, method, params })
      return new Promise<Result<unknown>>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          resolve({ ok: false, error: { code: 'TIMEOUT', message: `${method} did not answer in time` } })
        }, CALL_TIMEOUT_MS)
        pending.set(id, { resolve, timer })
        if (ws && state === 'open') ws.send(text)
        else queue.push(text)
      })
    },
    on(name: EventName, handler: (p: never) => void) {
      return events.add(name, handler as (p: unknown) => void)
    },
    onState(h) {
      stateListeners.add(h)
      return () => stateListeners.delete(h)
    },
    close() {
      closed = true
      ws?.close()
    }
  } as ApiClient
}
