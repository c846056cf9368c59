/**
 * Retransmission timeout from measured round trips (Jacobson/Karels, RFC 6298):
 *   first sample R:  SRTT = R, RTTVAR = R/2
 *   then:            RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|,  SRTT = 7/8 SRTT + 1/8 R
 *   RTO = SRTT + max(G, 4 RTTVAR), clamped to [min, max]; doubled on every timeout until the next sample.
 * Callers feed only samples of frames sent once (Karn's rule). All times in milliseconds.
 */
export class RttEstimator {
  srtt: number | null = null
  rttvar = 0
  rto: number

  constructor(
    readonly initialMs: number,
    readonly minMs: number,
    readonly maxMs: number,
    /** Clock granularity G. */
    readonly granularityMs = 1
  ) {
    this.rto = clamp(initialMs, minMs, maxMs)
  }

  sample(r: number): void {
    if (this.srtt === null) {
      this.srtt = r
      this.rttvar = r / 2
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r)
      this.srtt = 0.875 * this.srtt + 0.125 * r
    }
    this.rto = clamp(this.srtt + Math.max(this.granularityMs, 4 * this.rttvar), this.minMs, this.maxMs)
  }

  backoff(): void {
    this.rto = clamp(this.rto * 2, this.minMs, this.maxMs)
  }

  reset(): void {
    this.srtt = null
    this.rttvar = 0
    this.rto = clamp(this.initialMs, this.minMs, this.maxMs)
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))
