import type { BoardInfo, SlotView } from '../../shared/api/boards'
import type { SlotInfo } from '../../shared/wire/fields'
import type { MessageValue } from '../../shared/wire/messages'

export const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
export const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'))

export function slotView(s: SlotInfo): SlotView {
  return { state: s.state, size: s.size, written: s.written, hash: s.state === 'empty' ? null : hex(s.hash) }
}

/** What HELLO_INFO says, as the console shows it. */
export function infoFromHello(path: string, v: MessageValue<'HELLO_INFO'>): BoardInfo {
  return {
    path,
    boardId: v.boardId,
    boardClass: v.boardClass,
    firmware: v.firmware,
    protocol: { version: v.version, min: v.minVersion, max: v.maxVersion },
    flashBytes: v.flashBytes,
    ramBytes: v.ramBytes,
    adaptation: v.adaptation,
    lineRate: v.lineRate,
    caps: v.caps,
    paired: v.paired,
    bootCount: v.bootCount,
    active: v.active === 'none' ? null : v.active,
    running: v.running === 'none' ? null : v.running,
    trial: v.trial,
    slots: { a: slotView(v.slotA), b: slotView(v.slotB) }
  }
}

/** The same info with the slots of a SLOTS reply. */
export function withSlots(info: BoardInfo, v: MessageValue<'SLOTS'>): BoardInfo {
  return {
    ...info,
    active: v.active === 'none' ? null : v.active,
    running: v.running === 'none' ? null : v.running,
    trial: v.trial,
    slots: { a: slotView(v.slotA), b: slotView(v.slotB) }
  }
}
