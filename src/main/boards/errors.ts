import type { ErrorCode } from '../../shared/api/errors'
import type { BoardErrorCode } from '../../shared/wire/messages'
import { AppError } from '../core/errors'

const FROM_BOARD: Record<BoardErrorCode, ErrorCode> = {
  BAD_REQUEST: 'INVALID_INPUT',
  BAD_STATE: 'INVALID_INPUT',
  BAD_SLOT: 'INVALID_INPUT',
  BAD_OFFSET: 'INVALID_INPUT',
  TOO_LARGE: 'BUDGET_UNFITTABLE',
  VERIFY_FAILED: 'VERIFY_FAILED',
  MODEL_INVALID: 'MODEL_INVALID',
  NO_MODEL: 'NOT_FOUND',
  NOT_PAIRED: 'UNAUTHORIZED',
  BAD_PROOF: 'UNAUTHORIZED',
  UNSUPPORTED: 'INVALID_INPUT',
  BUSY: 'BUSY',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL: 'IO_ERROR'
}

/** A board refused a request (its ERROR message), as a coded console error that names the board's reason. */
export function boardRefusal(path: string, request: string, code: BoardErrorCode, detail: string): AppError {
  return new AppError(FROM_BOARD[code], `${path}: the board refused ${request}: ${detail} [${code}]`, { boardCode: code })
}

/** The board's code when an error came from the board itself, else undefined. */
export function boardCodeOf(e: unknown): BoardErrorCode | undefined {
  if (!(e instanceof AppError)) return undefined
  const d = e.details as { boardCode?: BoardErrorCode } | undefined
  return d?.boardCode
}

export const disconnected = (path: string, why: string) =>
  new AppError('BOARD_DISCONNECTED', `${path}: the board is not connected (${why}); it is reconnected automatically when it comes back`)
