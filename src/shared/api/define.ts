import type { z } from 'zod'

/**
 * One request of the contract: the schema its params are validated against at runtime, and the type of
 * the value it resolves to (types only: results come from our own services and are not re-validated).
 */
export interface MethodDef<P extends z.ZodType, R> {
  readonly params: P
  /** Phantom field carrying the result type; never set at runtime. */
  readonly __result?: R
  /** One line for people: shown in the CLI help and the API docs. */
  readonly summary: string
}

export function method<R>() {
  return <P extends z.ZodType>(params: P, summary: string): MethodDef<P, R> => ({ params, summary })
}

export type AnyMethodDef = MethodDef<z.ZodType, unknown>
