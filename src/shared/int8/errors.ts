/**
 * Why an artifact or an int8 model was refused. src/shared cannot use the console's AppError, so the
 * int8 code throws this; the console maps it to the API code MODEL_INVALID.
 */
export const ARTIFACT_ERROR_CODES = [
  'BAD_MAGIC', // the bytes do not start with "DRD8": not a DiReDi int8 artifact
  'UNSUPPORTED_VERSION', // a format version this reader does not know
  'TRUNCATED', // fewer bytes than the header, or than the length the header declares
  'LENGTH_MISMATCH', // more bytes than the header declares
  'CRC_MISMATCH', // the CRC-32 trailer does not match the content: the file is corrupt
  'MALFORMED', // a field out of range, a record that overruns its length, non-zero reserved bytes
  'INVALID_MODEL' // the layers do not form a runnable model (shapes, array sizes, constants out of range)
] as const

export type ArtifactErrorCode = (typeof ARTIFACT_ERROR_CODES)[number]

export class ArtifactError extends Error {
  constructor(
    readonly code: ArtifactErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ArtifactError'
  }
}
