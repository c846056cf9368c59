import type { SlotInfo } from '../../shared/wire/fields'
import type { SlotName } from '../../shared/wire/messages'

/** A slot as it sits in the board's flash (non-volatile: it survives reboots). */
export interface SlotData {
  /** 'trial' is never stored: a trial is a RAM state of the running firmware. */
  state: Exclude<SlotInfo['state'], 'trial'>
  size: number
  written: number
  hash: Uint8Array
  bytes: Uint8Array
}

/** Everything a board keeps across reboots. */
export interface BoardFlash {
  slots: Record<SlotName, SlotData>
  /** The confirmed slot the board boots, or null before any model was confirmed. */
  active: SlotName | null
  /** The knowledge-signing key provisioned by PAIR, or null. */
  key: Uint8Array | null
  bootCount: number
}

export const emptySlot = (capacity: number): SlotData => ({ state: 'empty', size: 0, written: 0, hash: new Uint8Array(32), bytes: new Uint8Array(capacity) })

export function newFlash(capacity: number): BoardFlash {
  return { slots: { a: emptySlot(capacity), b: emptySlot(capacity) }, active: null, key: null, bootCount: 0 }
}

export const otherSlot = (s: SlotName): SlotName => (s === 'a' ? 'b' : 'a')
