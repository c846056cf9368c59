import type { WireErrorCode } from './errors'

/** What one side of a link has counted since it was made (counters only grow). */
export interface LinkCounters {
  framesOut: number
  framesIn: number
  bytesOut: number
  bytesIn: number
  /** Frames refused for a bad CRC. */
  crcErrors: number
  /** Frames refused for any other framing reason (COBS, length, oversize, version, flags). */
  framingErrors: number
  /** Frames whose payload did not decode as their message (counted by the session). */
  payloadErrors: number
  /** Reliable frames sent again (after a timeout or a fast retransmit). */
  retransmits: number
  /** Retransmission timer expiries. */
  timeouts: number
  /** Retransmits triggered by selective acknowledgements before the timer expired. */
  fastRetransmits: number
  /** Reliable frames received again after delivery (suppressed). */
  duplicates: number
  /** Reliable frames too far ahead of what was expected (dropped). */
  outOfWindow: number
  /** Frames of another session epoch or protocol version (dropped). */
  stale: number
  /** Standalone ACK frames sent. */
  acksOut: number
  /** Smoothed round-trip time, ms (0 before the first sample). */
  srttMs: number
  /** Current retransmission timeout, ms. */
  rtoMs: number
}

export const emptyCounters = (): LinkCounters => ({
  framesOut: 0,
  framesIn: 0,
  bytesOut: 0,
  bytesIn: 0,
  crcErrors: 0,
  framingErrors: 0,
  payloadErrors: 0,
  retransmits: 0,
  timeouts: 0,
  fastRetransmits: 0,
  duplicates: 0,
  outOfWindow: 0,
  stale: 0,
  acksOut: 0,
  srttMs: 0,
  rtoMs: 0
})

/** Adds a refused frame to the counters by its code. */
export function countWireError(c: LinkCounters, code: WireErrorCode): void {
  if (code === 'CRC_MISMATCH') c.crcErrors++
  else if (code === 'UNKNOWN_TYPE' || code === 'BAD_PAYLOAD') c.payloadErrors++
  else c.framingErrors++
}
