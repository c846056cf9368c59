/**
 * Why a frame or a message was refused. Each refusal is counted by its code (never acted on), so a link
 * report can say what went wrong on the line.
 */
export const WIRE_ERROR_CODES = [
  'COBS_INVALID', // the byte stuffing is broken (a code byte points past the block, or a stray 0x00)
  'OVERSIZE', // more bytes than the largest frame arrived without a delimiter
  'TOO_SHORT', // fewer bytes than a header and a CRC
  'LENGTH_MISMATCH', // the header's payload length disagrees with the bytes received
  'CRC_MISMATCH', // the CRC-32 over header and payload does not match
  'BAD_VERSION', // protocol version 0, or one this side does not speak outside HELLO
  'BAD_FLAGS', // reserved flag bits set, or an unknown channel
  'UNKNOWN_TYPE', // no message definition with this type code
  'BAD_PAYLOAD', // the payload does not decode as its message's fields
  'BAD_VALUE' // a value out of range for its field when encoding
] as const

export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number]

export class WireError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'WireError'
  }
}
