import type { BoardConfig } from './board-host'
import type { FaultSpec } from './faults'

/** What `diredi emulate` passes to each board process (as JSON in argv[2]). */
export interface ChildConfig {
  index: number
  config: BoardConfig
  faults: FaultSpec
  /** socat link paths of the board's end and of the console's end. */
  boardPath: string
  consolePath: string
  /** Where the board keeps its flash between runs (optional). */
  stateFile?: string
  /** The board's own user data (data-file.ts), if it has any. */
  dataFile?: string
}

/** What a board process tells its parent over IPC. */
export type ChildReport =
  | { type: 'ready'; boardId: string; port: string; device: string; socatPid: number }
  | { type: 'unplugged'; ms: number }
  | { type: 'plugged'; socatPid: number }
  | { type: 'error'; message: string }
