import { z } from 'zod'
import type { SlotState } from '../wire/fields'
import type { LinkCounters } from '../wire/counters'
import { method } from './define'
import type { JobInfo } from './jobs'

/** One model slot of a board. */
export interface SlotView {
  state: SlotState
  /** Bytes of the artifact in the slot (being written or held). */
  size: number
  written: number
  /** SHA-256 (hex) of the artifact the slot holds or is being written with; null when empty. */
  hash: string | null
}

/** What a board says of itself in HELLO (protocol.md), plus where it is. */
export interface BoardInfo {
  path: string
  /** Stable unique id: the board's identity across ports and re-plugging. */
  boardId: string
  boardClass: string
  firmware: string
  /** Negotiated version (0: none in common) and the board's range. */
  protocol: { version: number; min: number; max: number }
  /** Bytes per model slot. */
  flashBytes: number
  /** Bytes of RAM for activations. */
  ramBytes: number
  adaptation: 'none' | 'head' | 'all' | 'tutor'
  /** Line rate, baud. */
  lineRate: number
  /** Capability bits (protocol.md: INFER 1, PRIVATE_EVAL 2, ADAPT 4, PAIRING 8, RESUME 16). */
  caps: number
  paired: boolean
  bootCount: number
  /** The confirmed slot the board boots. */
  active: 'a' | 'b' | null
  /** The slot whose model runs now. */
  running: 'a' | 'b' | null
  trial: boolean
  slots: { a: SlotView; b: SlotView }
}

export type SessionState = 'connecting' | 'handshaking' | 'ready' | 'reconnecting' | 'mismatch' | 'closed'

/** The console's side of a link: frame counters plus what the session counted. */
export interface LinkStats extends LinkCounters {
  /** Replies that matched no outstanding request (dropped; a per-sample output nobody asked for lands here). */
  unmatchedReplies: number
  handshakes: number
  reconnects: number
  requestTimeouts: number
}

export interface BoardSummary {
  path: string
  state: SessionState
  /** The last HELLO (and slot) information, kept while the board is away. */
  info: BoardInfo | null
  counters: LinkStats
  lastError: string | null
}

export interface BoardLogLine {
  path: string
  boardId: string | null
  level: 'debug' | 'info' | 'warn' | 'error'
  /** The board's uptime when it logged, ms. */
  uptimeMs: number
  text: string
  /** When the console received it (ISO). */
  at: string
}

export interface FlashResult {
  path: string
  boardId: string
  slot: 'a' | 'b'
  /** SHA-256 of the artifact, now confirmed on the board. */
  hash: string
  bytes: number
  /** Connections the flash needed (1 when nothing went wrong). */
  attempts: number
  /** Transfers that continued from an offset instead of from 0. */
  resumes: number
  /** Golden inputs the board ran with outputs equal to the console's reference. */
  goldenChecked: number
  /** The board already ran this artifact, confirmed: nothing was written. */
  alreadyRunning: boolean
  /** Time moving bytes (all attempts), and the whole flash, ms. */
  transferMs: number
  totalMs: number
  /** Artifact bytes per second of transfer, and that as a fraction of the line's byte rate (baud / 10). */
  goodputBytesPerSec: number
  lineFraction: number
}

export interface EvalReport {
  path: string
  split: 'train' | 'test'
  n: number
  correct: number
  accuracy: number
  classCounts: number[]
  predCounts: number[]
  confidenceHist: number[]
  latencyMeanUs: number
  latencyMaxUs: number
}

export interface InferReport {
  path: string
  dataset: string
  count: number
  /** The board's predicted class equals the label. */
  correct: number
  accuracy: number
  /** The board's int8 scores equal the console's reference interpreter's, byte for byte. */
  exactMatches: number
  latencyMeanUs: number
  latencyMaxUs: number
  /** Samples per second over the link, round trips included. */
  throughput: number
}

const Path = z.string().min(1).max(4096)
const Baud = z.number().int().min(300).max(12_000_000)

export const boardMethods = {
  'boards.ports': method<Array<{ path: string; manufacturer?: string; serialNumber?: string; vendorId?: string; productId?: string; source: 'os' | 'emulator' }>>()(
    z.object({}).strict(),
    'Serial ports on this machine, and those of running `diredi emulate` boards'
  ),
  'boards.list': method<BoardSummary[]>()(z.object({}).strict(), 'Boards with an open session'),
  'boards.open': method<BoardSummary>()(z.object({ path: Path, baudRate: Baud.optional() }).strict(), 'Open a session with the board on a port (handshake)'),
  'boards.get': method<BoardSummary>()(z.object({ path: Path }).strict(), "A board's session, with its slots read afresh"),
  'boards.close': method<{ closed: true }>()(z.object({ path: Path }).strict(), 'Close the session and release the port'),
  'boards.flash': method<JobInfo>()(
    z
      .object({
        path: Path,
        artifact: z.string().min(1).max(4096).optional(),
        file: z.string().min(1).max(4096).optional(),
        golden: z.number().int().min(1).max(256).optional()
      })
      .strict()
      .refine((p) => (p.artifact === undefined) !== (p.file === undefined), 'give exactly one of artifact (an artifact or model id) or file (an artifact file)'),
    'Flash an artifact into the inactive slot, verify, trial boot, check golden vectors, confirm (a job)'
  ),
  'boards.infer': method<InferReport>()(
    z.object({ path: Path, dataset: z.string().min(1).max(200), count: z.number().int().min(1).max(100_000).default(100) }).strict(),
    "Run test-set samples on the board's model; compare with the labels and the console's int8 reference"
  ),
  'boards.evalPrivate': method<EvalReport>()(
    z.object({ path: Path, split: z.enum(['train', 'test']).default('test') }).strict(),
    "Run the board's model on its own data: aggregates only"
  ),
  'boards.pair': method<{ boardId: string; paired: true }>()(z.object({ path: Path }).strict(), 'Provision the board\'s knowledge-signing key'),
  'boards.stats': method<{ console: LinkStats; board: Record<string, number> }>()(z.object({ path: Path }).strict(), 'Link counters of both ends')
}

export interface BoardEvents {
  'board.state': BoardSummary
  'board.log': BoardLogLine
}
