import { isMethodName, methods, type MethodName, type ParamsOut, type ResultOf } from '../../shared/api/contract'
import { type Result } from '../../shared/api/errors'
import { toApiError } from '../core/errors'

/** What every handler is given besides its params. */
export interface CallContext {
  /** Which transport the call came through (for logs and audit). */
  via: 'electron' | 'web' | 'cli' | 'test'
}

export type Handler<M extends MethodName> = (params: ParamsOut<M>, ctx: CallContext) => Promise<ResultOf<M>> | ResultOf<M>
/** A handler for every method of the contract; the type makes a missing one a compile error. */
export type Handlers = { [M in MethodName]: Handler<M> }

/**
 * The one place where a request enters the console: checks the method name, validates the params
 * against the contract's schema, runs the handler, and turns every outcome into a `Result` value.
 * Nothing thrown inside a service crosses this line.
 */
export class Router {
  private closing = false

  constructor(
    private readonly handlers: Handlers,
    private readonly onBug: (method: string, e: unknown) => void = (m, e) => console.error(`[bug] ${m}:`, e)
  ) {}

  async call(method: unknown, params: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (this.closing) return { ok: false, error: { code: 'SHUTTING_DOWN', message: 'the console is shutting down; try again after it restarts' } }
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method ${JSON.stringify(method)}; see the API contract for the list` } }
    }
    const parsed = methods[method].params.safeParse(params ?? {})
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(params)'}: ${i.message}`)
      return { ok: false, error: { code: 'BAD_REQUEST', message: `bad params for ${method}: ${issues.join('; ')}`, details: { issues } } }
    }
    try {
      const handler = this.handlers[method] as (p: unknown, c: CallContext) => unknown
      const value = await handler(parsed.data, ctx)
      return { ok: true, value }
    } catch (e) {
      const error = toApiError(e)
      if (error.code === 'INTERNAL') this.onBug(method, e)
      return { ok: false, error }
    }
  }

  /** Typed call for in-process users (the CLI, tests): resolves the value or throws the coded error. */
  async invoke<M extends MethodName>(method: M, params: ParamsOut<M> | Record<string, unknown>, ctx: CallContext = { via: 'cli' }): Promise<ResultOf<M>> {
    const r = await this.call(method, params, ctx)
    if (r.ok) return r.value as ResultOf<M>
    throw new ApiCallError(r.error.code, r.error.message, r.error.details)
  }

  close(): void {
    this.closing = true
  }
}

/** The coded error of a failed `Router.invoke`, for in-process callers. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown
  ) {
    super(message)
    this.name = 'ApiCallError'
  }
}
