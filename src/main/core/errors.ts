import { type ApiError, type ErrorCode } from '../../shared/api/errors'

/**
 * An expected failure, thrown inside the console and turned into a coded `ApiError` at the boundary.
 * Anything else that is thrown is a bug and crosses as `INTERNAL`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown
  ) {
    super(message)
    this.name = 'AppError'
  }

  toApiError(): ApiError {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details }
  }
}

/** Maps file-system failures to codes a user can act on; returns null for anything else. */
export function fsErrorToApp(e: unknown, what: string): AppError | null {
  const code = (e as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('DISK_FULL', `${what}: the disk is full; free some space and try again (nothing was changed)`)
    case 'ENOENT':
      return new AppError('NOT_FOUND', `${what}: no such file or folder`)
    case 'EACCES':
    case 'EPERM':
      return new AppError('IO_ERROR', `${what}: permission denied`)
    case 'EISDIR':
      return new AppError('INVALID_INPUT', `${what}: is a folder, expected a file`)
    case 'ENOTDIR':
      return new AppError('INVALID_INPUT', `${what}: is a file, expected a folder`)
    default:
      return null
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof AppError) return e.toApiError()
  const fsErr = fsErrorToApp(e, 'file operation')
  if (fsErr) return fsErr.toApiError()
  const message = e instanceof Error ? e.message : String(e)
  return { code: 'INTERNAL', message: `internal error: ${message}` }
}
