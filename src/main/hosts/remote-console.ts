import WebSocket from 'ws'
import type { EventName, Events, MethodName, ParamsIn, ResultOf } from '../../shared/api/contract'
import type { HostMessage } from '../../shared/api/envelope'
import type { ApiError, Result } from '../../shared/api/errors'
import { AppError } from '../core/errors'
import type { ConsoleInfo } from './console-lock'

type Listener = <E extends EventName>(name: E, payload: Events[E]) => void

/**
 * The API of a console another process runs (`diredi serve`), over its WebSocket with the session token
 * from the data directory's console file: the same contract, validation and events as in-process calls.
 * A refusal comes back as the AppError the console raised (its code and message).
 */
export class RemoteConsole {
  private nextId = 1
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  private readonly listeners = new Set<Listener>()
  private readonly closers = new Set<(why: string) => void>()
  private closed = false

  private constructor(
    private readonly ws: WebSocket,
    readonly info: ConsoleInfo
  ) {
    ws.on('message', (data) => this.onMessage(String(data)))
    ws.on('close', (code, reason) => this.gone(`the connection closed (${code}${reason.length ? `: ${String(reason)}` : ''})`))
    ws.on('error', (e) => this.gone(e.message))
  }

  /** Connects to the console `info` names; refuses clearly when it does not answer or takes no token. */
  static connect(info: ConsoleInfo, timeoutMs = 5000): Promise<RemoteConsole> {
    if (!info.port || !info.token) {
      return Promise.reject(new AppError('BUSY', `${info.command} (pid ${info.pid}) is starting on this data directory; try again in a moment`))
    }
    const url = `ws://127.0.0.1:${info.port}/api?token=${encodeURIComponent(info.token)}`
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs })
      const fail = (why: string) => {
        ws.removeAllListeners()
        ws.on('error', () => undefined)
        ws.terminate()
        reject(new AppError('BUSY', `${info.command} (pid ${info.pid}) holds this data directory but its API at ${info.url ?? `port ${info.port}`} did not accept us (${why}); stop that process (kill ${info.pid}) or use its web page`))
      }
      ws.once('open', () => {
        ws.removeAllListeners()
        resolve(new RemoteConsole(ws, info))
      })
      ws.once('unexpected-response', (_req, res) => fail(`HTTP ${res.statusCode}`))
      ws.once('error', (e) => fail(e.message))
    })
  }

  invoke<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<ResultOf<M>> {
    if (this.closed) return Promise.reject(new AppError('IO_ERROR', `the console (pid ${this.info.pid}) is no longer connected`))
    const id = this.nextId++
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.ws.send(JSON.stringify({ t: 'req', id, method, params }))
    })
  }

  /** Every event the console emits, from the moment of connection. Returns the unsubscribe. */
  onEvent(fn: Listener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Called once if the connection ends while in use (not after close()). */
  onClose(fn: (why: string) => void): () => void {
    this.closers.add(fn)
    return () => this.closers.delete(fn)
  }

  private onMessage(text: string): void {
    let m: HostMessage
    try {
      m = JSON.parse(text) as HostMessage
    } catch {
      return
    }
    if (m.t === 'evt') {
      for (const l of [...this.listeners]) l(m.name as EventName, m.payload as never)
      return
    }
    const p = this.pending.get(m.id)
    if (!p) return
    this.pending.delete(m.id)
    const r = m.result as Result<unknown>
    if (r.ok) p.resolve(r.value)
    else p.reject(new AppError((r.error as ApiError).code, r.error.message, r.error.details))
  }

  private gone(why: string): void {
    if (this.closed) return
    this.closed = true
    const e = new AppError('IO_ERROR', `the console (pid ${this.info.pid}) went away: ${why}`)
    for (const p of this.pending.values()) p.reject(e)
    this.pending.clear()
    for (const c of [...this.closers]) c(why)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.pending.clear()
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve())
      this.ws.close(1000, 'done')
      setTimeout(() => {
        this.ws.terminate()
        resolve()
      }, 2000).unref()
    })
  }
}
