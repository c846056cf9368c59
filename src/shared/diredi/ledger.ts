/** The privacy ledger as it crosses the API: every byte that came from each board, by message type. */
export interface LedgerBoard {
  boardId: string
  /** Bytes received from the board, per message type name (frame bytes on the wire, headers included). */
  bytesByType: Record<string, number>
  /** Frames received from the board, per message type name. */
  framesByType: Record<string, number>
  /** Bytes of accepted knowledge payload (the parameter deltas and aggregates). */
  knowledgeBytes: number
  /** Size of the board's private data (train + test), in bytes as stored on the board, for comparison. */
  privateDataBytes: number | null
  /** Input samples uploaded: 0 by construction (no board message type can carry one). */
  rawSamplesUploaded: 0
}

export interface Ledger {
  roundId: string
  boards: LedgerBoard[]
  totals: { bytes: number; knowledgeBytes: number; privateDataBytes: number; rawSamplesUploaded: 0 }
}
