import type { MessageValue, SlotName } from '../../shared/wire/messages'
import { sameBytes, sha256 } from '../core/hash'
import type { BoardHost } from './board-host'
import { emptySlot, otherSlot } from './storage'

/**
 * The slot state machine of a virtual board (MCUboot's rules, over the wire):
 *   FLASH_BEGIN (inactive slot only) -> FLASH_DATA at the write offset -> FLASH_END: SHA-256 of the whole
 *   slot against the hash of FLASH_BEGIN -> 'verified' -> BOOT_TRIAL (hashed again, loaded) -> 'trial'
 *   -> CONFIRM -> 'confirmed' (the slot the board boots). A trial ends without CONFIRM on REVERT, on reboot,
 *   on a new session, and by the trial watchdog; the confirmed model runs again.
 */
export function flashBegin(b: BoardHost, v: MessageValue<'FLASH_BEGIN'>): void {
  const s = b.flash.slots[v.slot]
  if (v.slot === b.flash.active) return b.fail(v.rid, 'BAD_SLOT', `slot ${v.slot} holds the confirmed model; write slot ${otherSlot(v.slot)}`)
  if (b.trial && b.running === v.slot) return b.fail(v.rid, 'BAD_STATE', `slot ${v.slot} runs on trial; CONFIRM or REVERT first`)
  if (v.size === 0 || v.size > b.cfg.flashBytes) return b.fail(v.rid, 'TOO_LARGE', `${v.size} bytes does not fit a ${b.cfg.flashBytes}-byte slot`)
  const resumable = (s.state === 'writing' || s.state === 'verified') && s.size === v.size && sameBytes(s.hash, v.hash)
  if (!resumable) Object.assign(s, { state: 'writing', size: v.size, written: 0, hash: v.hash.slice() })
  const offset = s.state === 'verified' ? s.size : s.written
  b.log('info', resumable ? `slot ${v.slot}: resuming at ${offset} of ${v.size}` : `slot ${v.slot}: writing ${v.size} bytes`)
  if (offset < v.size) b.faultPlan.arm(offset, v.size)
  b.persist()
  b.sendMsg('FLASH_READY', { rid: v.rid, slot: v.slot, offset, chunkMax: b.cfg.chunkMax })
}

export function flashData(b: BoardHost, v: MessageValue<'FLASH_DATA'>): void {
  const s = b.flash.slots[v.slot]
  if (s.state !== 'writing' || v.offset !== s.written || v.offset + v.data.length > s.size || v.data.length > b.cfg.chunkMax) {
    b.counters.misplacedChunks++
    return
  }
  s.bytes.set(v.data, v.offset)
  s.written += v.data.length
  b.faultPlan.reached(s.written)
}

export function flashEnd(b: BoardHost, v: MessageValue<'FLASH_END'>): void {
  const s = b.flash.slots[v.slot]
  if (s.state === 'writing' && s.written === s.size) {
    if (sameBytes(sha256(s.bytes.subarray(0, s.size)), s.hash)) {
      s.state = 'verified'
      b.log('info', `slot ${v.slot}: verified (${s.size} bytes)`)
      b.persist()
    } else {
      Object.assign(s, emptySlot(0), { bytes: s.bytes })
      b.log('error', `slot ${v.slot}: SHA-256 mismatch; slot erased`)
      return b.fail(v.rid, 'VERIFY_FAILED', `slot ${v.slot}: the SHA-256 of the written bytes differs from the artifact hash; the slot was erased, write it again`)
    }
  } else if (s.state !== 'writing' && s.state !== 'verified') {
    return b.fail(v.rid, 'BAD_STATE', `slot ${v.slot} is ${b.slotInfo(v.slot).state}; FLASH_BEGIN first`)
  }
  b.sendMsg('FLASH_RESULT', { rid: v.rid, slot: v.slot, state: b.slotInfo(v.slot) })
}

export function bootTrial(b: BoardHost, v: MessageValue<'BOOT_TRIAL'>): void {
  const s = b.flash.slots[v.slot]
  if (b.trial) return b.fail(v.rid, 'BAD_STATE', `slot ${b.running} already runs on trial; CONFIRM or REVERT first`)
  if (s.state !== 'verified') return b.fail(v.rid, 'BAD_STATE', `slot ${v.slot} is ${s.state}, not verified; only a verified slot boots`)
  if (!sameBytes(s.hash, v.hash)) return b.fail(v.rid, 'BAD_SLOT', `slot ${v.slot} holds another artifact than the one named`)
  if (!sameBytes(sha256(s.bytes.subarray(0, s.size)), s.hash)) {
    Object.assign(s, emptySlot(0), { bytes: s.bytes })
    return b.fail(v.rid, 'VERIFY_FAILED', `slot ${v.slot} no longer hashes to its artifact (flash corruption); slot erased`)
  }
  let model
  try {
    if (!b.env.runtime) throw new Error('this board has no model runtime')
    model = b.env.runtime.load(s.bytes.subarray(0, s.size))
  } catch (e) {
    s.state = 'bad'
    return b.fail(v.rid, 'MODEL_INVALID', `slot ${v.slot}: ${(e as Error).message}`)
  }
  if (model.ramBytes > b.cfg.ramBytes) {
    s.state = 'bad'
    return b.fail(v.rid, 'TOO_LARGE', `the model needs ${model.ramBytes} bytes of RAM; this board has ${b.cfg.ramBytes}`)
  }
  b.running = v.slot
  b.model = model
  b.trial = true
  b.startTrialTimer()
  b.log('info', `slot ${v.slot}: booted on trial`)
  b.sendMsg('SLOTS', { rid: v.rid, ...b.slotsValue() })
  b.faultPlan.afterTrialBoot()
}

export function confirm(b: BoardHost, v: MessageValue<'CONFIRM'>): void {
  if (!b.trial || b.running !== v.slot) return b.fail(v.rid, 'BAD_STATE', `slot ${v.slot} is not on trial; BOOT_TRIAL it first`)
  const s = b.flash.slots[v.slot]
  if (!sameBytes(s.hash, v.hash)) return b.fail(v.rid, 'BAD_SLOT', `slot ${v.slot} holds another artifact than the one named`)
  const prev = b.flash.active
  b.flash.active = v.slot
  s.state = 'confirmed'
  if (prev && prev !== v.slot) b.flash.slots[prev].state = 'verified'
  b.trial = false
  b.clearTrialTimer()
  b.log('info', `slot ${v.slot}: confirmed`)
  b.persist()
  b.sendMsg('SLOTS', { rid: v.rid, ...b.slotsValue() })
}

export function revert(b: BoardHost, rid: number): void {
  b.revertTrial('the console asked')
  b.sendMsg('SLOTS', { rid, ...b.slotsValue() })
}

/**
 * The transfer faults of the board's FaultSpec: at FLASH_BEGIN each kind is drawn once for the transfer,
 * and a drawn fault strikes when the write offset passes a random point of what is left.
 */
export class FaultPlan {
  private cuts: Array<{ at: number; kind: 'unplug' | 'reboot' | 'stall' }> = []

  constructor(private readonly b: BoardHost) {}

  arm(from: number, size: number): void {
    const f = this.b.env.faults
    this.cuts = []
    for (const kind of ['unplug', 'reboot', 'stall'] as const) {
      if (f[kind] > 0 && this.b.rand() < f[kind]) this.cuts.push({ at: from + 1 + Math.floor(this.b.rand() * (size - from - 1)), kind })
    }
  }

  reached(offset: number): void {
    if (!this.cuts.length) return
    const due = this.cuts.filter((c) => offset >= c.at)
    if (!due.length) return
    this.cuts = this.cuts.filter((c) => offset < c.at)
    const f = this.b.env.faults
    for (const c of due) {
      this.b.log('warn', `fault: ${c.kind} at offset ${offset}`)
      if (c.kind === 'unplug') this.b.unplug(f.unplugMs)
      else if (c.kind === 'reboot') this.b.reboot('injected fault')
      else this.b.stall(f.stallMs)
    }
  }

  afterTrialBoot(): void {
    const f = this.b.env.faults
    if (f.trialUnplug > 0 && this.b.rand() < f.trialUnplug) {
      const slot: SlotName | null = this.b.running
      this.b.log('warn', `fault: unplug during the trial of slot ${slot}`)
      this.b.unplug(f.unplugMs)
    }
  }
}
