import { AppError } from '../../core/errors'

/** Where in a file a problem sits, for people: "byte 16", "line 42", "file cat/7.png". */
export interface BadDataDetails {
  file: string
  position?: string
  problem: string
}

/**
 * The error every dataset reader throws for bad input: DATASET_INVALID, naming the file, the position,
 * what is wrong and what to do. `details` carries the same for programs.
 */
export function badData(file: string, position: string | undefined, problem: string, todo: string): AppError {
  const where = position ? `${file} (${position})` : file
  const details: BadDataDetails = position ? { file, position, problem } : { file, problem }
  return new AppError('DATASET_INVALID', `${where}: ${problem}; ${todo}`, details)
}
