import { existsSync, readFileSync } from 'node:fs'
import { writeJsonAtomic } from '../core/atomic'
import { SLOT_NAMES } from '../../shared/wire/messages'
import { newFlash, type BoardFlash, type SlotData } from './storage'

interface StoredSlot {
  state: SlotData['state']
  size: number
  written: number
  hash: string
  /** base64 of bytes [0, written). */
  bytes: string
}

interface StoredFlash {
  format: 1
  active: BoardFlash['active']
  key: string | null
  bootCount: number
  slots: Record<'a' | 'b', StoredSlot>
}

/**
 * A virtual board's flash on disk, so a board process that is stopped and started again (on another port,
 * say) comes back with its slots, its key and its boot count, as a real board does after a power cycle.
 */
export function loadFlash(file: string, capacity: number): BoardFlash {
  const flash = newFlash(capacity)
  if (!existsSync(file)) return flash
  const s = JSON.parse(readFileSync(file, 'utf8')) as StoredFlash
  if (s.format !== 1) throw new Error(`${file}: unknown board flash format ${String(s.format)}`)
  flash.active = s.active
  flash.key = s.key ? new Uint8Array(Buffer.from(s.key, 'hex')) : null
  flash.bootCount = s.bootCount
  for (const n of SLOT_NAMES) {
    const st = s.slots[n]
    const slot = flash.slots[n]
    const bytes = Buffer.from(st.bytes, 'base64')
    if (st.size > capacity || bytes.length !== st.written) throw new Error(`${file}: slot ${n} does not fit this board`)
    slot.bytes.set(bytes)
    Object.assign(slot, { state: st.state, size: st.size, written: st.written, hash: new Uint8Array(Buffer.from(st.hash, 'hex')) })
  }
  return flash
}

export async function saveFlash(file: string, f: BoardFlash): Promise<void> {
  const slot = (s: SlotData): StoredSlot => ({
    state: s.state, size: s.size, written: s.written, hash: Buffer.from(s.hash).toString('hex'), bytes: Buffer.from(s.bytes.subarray(0, s.written)).toString('base64')
  })
  const stored: StoredFlash = { format: 1, active: f.active, key: f.key ? Buffer.from(f.key).toString('hex') : null, bootCount: f.bootCount, slots: { a: slot(f.slots.a), b: slot(f.slots.b) } }
  await writeJsonAtomic(file, stored)
}
