/**
 * Every error code that can cross the API boundary. Codes are stable: UIs and scripts branch on them.
 * A code names a class of expected failure; `INTERNAL` alone means a bug (it is logged with its stack
 * on the console side and the user sees only the message).
 */
export const ERROR_CODES = [
  // transport and contract
  'BAD_REQUEST', // the payload did not match the method's schema
  'UNKNOWN_METHOD', // no such method in the contract
  'UNAUTHORIZED', // missing or wrong session token, or an untrusted IPC sender
  'INTERNAL', // a bug: the console logged it
  'SHUTTING_DOWN', // the console is closing; try again after it restarts
  // generic domain outcomes
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CANCELLED',
  'TIMEOUT',
  'BUSY',
  'INVALID_INPUT',
  'IO_ERROR',
  'DISK_FULL',
  // ml and registry
  'DATASET_INVALID',
  'MODEL_INVALID',
  'BUDGET_UNFITTABLE',
  'BACKEND_UNAVAILABLE',
  'JOB_FAILED',
  // boards and fleet
  'PORT_BUSY',
  'PORT_NOT_FOUND',
  'BOARD_DISCONNECTED',
  'PROTOCOL_MISMATCH',
  'FLASH_FAILED',
  'VERIFY_FAILED',
  // diredi loop
  'KNOWLEDGE_REJECTED',
  'SCENARIO_INVALID',
  'QA_FAILED'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** A failure as it crosses the boundary: a stable code, a message a person can act on, optional detail. */
export interface ApiError {
  code: ErrorCode
  message: string
  /** Structured detail for programs (the offending field, the file, the limit). */
  details?: unknown
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const err = (code: ErrorCode, message: string, details?: unknown): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details }
})

export const isErrorCode = (x: unknown): x is ErrorCode =>
  typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x)
