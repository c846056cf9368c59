import type { Clock } from '../../shared/wire/clock'
import type { SlotInfo } from '../../shared/wire/fields'
import type { LinkOptions } from '../../shared/wire/link'
import {
  PROTOCOL_MAX,
  PROTOCOL_MIN,
  type AdaptationCapability,
  type BoardErrorCode,
  type BoardMessageName,
  type LOG_LEVELS,
  type MessageValue,
  type SlotName
} from '../../shared/wire/messages'
import type { Adapter } from './adapter'
import type { PrivateData } from './data'
import type { FaultSpec } from './faults'
import type { LoadedModel, ModelRuntime } from './runtime'
import type { BoardFlash } from './storage'

/*
 * What a virtual board is made of, and what its message handlers (board-slots.ts, board-infer.ts,
 * board-adapt.ts) may use of it. VirtualBoard (board.ts) implements BoardHost; the handlers see only this
 * interface, so board.ts imports them and none of them imports board.ts.
 */

export interface BoardConfig {
  /** Stable unique id reported in HELLO_INFO. */
  boardId: string
  boardClass: string
  firmware: string
  /** Bytes per model slot. */
  flashBytes: number
  /** Bytes of RAM for a model's activations. */
  ramBytes: number
  adaptation: AdaptationCapability
  /** Line rate, baud (reported in HELLO_INFO; bytes are paced to it when `pace`). */
  baud: number
  pace: boolean
  minVersion: number
  maxVersion: number
  /** A trial not confirmed within this time is reverted. */
  trialTimeoutMs: number
  /** Largest FLASH_DATA and KNOWLEDGE_CHUNK data, bytes. */
  chunkMax: number
}

export const DEFAULT_BOARD: Omit<BoardConfig, 'boardId'> = {
  boardClass: 'diredi-vb-m7',
  firmware: 'diredi-vb 1.0.0',
  flashBytes: 256 * 1024,
  ramBytes: 128 * 1024,
  adaptation: 'head',
  baud: 921600,
  pace: true,
  minVersion: PROTOCOL_MIN,
  maxVersion: PROTOCOL_MAX,
  trialTimeoutMs: 120_000,
  chunkMax: 2048
}

/** What a board is given by whoever runs it (a process on a pseudo-terminal, or a test). */
export interface BoardEnv {
  clock: Clock
  /** Runs the models the board is flashed with; without it BOOT_TRIAL fails with MODEL_INVALID. */
  runtime: ModelRuntime | null
  data?: PrivateData
  adapter?: Adapter
  faults: FaultSpec
  /** Pulls the cable for `ms`, then plugs it back (a virtual bus or socat knows how). */
  unplug(ms: number): void
  link?: Partial<LinkOptions>
  /** Called after the flash (slots, key, boot count) changed, to keep it (persist.ts). */
  persist?(flash: BoardFlash): void
}

/** Firmware-side counters (besides the link's). */
export interface BoardCounters {
  /** FLASH_DATA chunks not at the expected offset (ignored). */
  misplacedChunks: number
  unplugs: number
  reboots: number
  stalls: number
  reverts: number
}

/** The fault hooks a flash transfer and a trial boot trigger (FaultPlan in board-slots.ts). */
export interface BoardFaultHooks {
  arm(from: number, size: number): void
  reached(offset: number): void
  afterTrialBoot(): void
}

/** The part of a running board its message handlers act on. */
export interface BoardHost {
  readonly cfg: BoardConfig
  readonly env: BoardEnv
  readonly flash: BoardFlash
  readonly counters: BoardCounters
  readonly rand: () => number
  readonly faultPlan: BoardFaultHooks
  running: SlotName | null
  trial: boolean
  model: LoadedModel | null
  persist(): void
  reboot(reason: string): void
  revertTrial(why: string): void
  startTrialTimer(): void
  clearTrialTimer(): void
  unplug(ms: number): void
  stall(ms: number): void
  sendMsg<N extends BoardMessageName>(name: N, value: MessageValue<N>, version?: number): void
  fail(rid: number, code: BoardErrorCode, detail: string): void
  log(level: (typeof LOG_LEVELS)[number], text: string): void
  slotInfo(name: SlotName): SlotInfo
  slotsValue(): {
    active: SlotName | 'none'
    running: SlotName | 'none'
    trial: boolean
    slotA: SlotInfo
    slotB: SlotInfo
  }
  /** SHA-256 of the running model's slot (the `base` adaptation is bound to). */
  runningHash(): Uint8Array | null
}
