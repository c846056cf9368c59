import type { Ledger, LedgerBoard } from '../../shared/diredi/ledger'

/**
 * Counts every byte that arrives from each board during a round, by message type. The board link feeds
 * it from the frame parser (so nothing a board sends escapes it); the round report and the knowledge
 * inbox show it.
 */
export class PrivacyLedger {
  private readonly boards = new Map<string, LedgerBoard>()

  constructor(readonly roundId: string) {}

  private board(id: string): LedgerBoard {
    let b = this.boards.get(id)
    if (!b) this.boards.set(id, (b = { boardId: id, bytesByType: {}, framesByType: {}, knowledgeBytes: 0, privateDataBytes: null, rawSamplesUploaded: 0 }))
    return b
  }

  /** One frame from a board: its message type name and its size on the wire. */
  received(boardId: string, type: string, bytes: number): void {
    const b = this.board(boardId)
    b.bytesByType[type] = (b.bytesByType[type] ?? 0) + bytes
    b.framesByType[type] = (b.framesByType[type] ?? 0) + 1
  }

  knowledge(boardId: string, bytes: number): void {
    this.board(boardId).knowledgeBytes += bytes
  }

  privateData(boardId: string, bytes: number): void {
    this.board(boardId).privateDataBytes = bytes
  }

  snapshot(): Ledger {
    const boards = [...this.boards.values()].map((b) => structuredClone(b)).sort((a, b) => a.boardId.localeCompare(b.boardId))
    const sum = (f: (b: LedgerBoard) => number) => boards.reduce((a, b) => a + f(b), 0)
    return {
      roundId: this.roundId,
      boards,
      totals: {
        bytes: sum((b) => Object.values(b.bytesByType).reduce((x, y) => x + y, 0)),
        knowledgeBytes: sum((b) => b.knowledgeBytes),
        privateDataBytes: sum((b) => b.privateDataBytes ?? 0),
        rawSamplesUploaded: 0
      }
    }
  }
}
