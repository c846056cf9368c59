import { sha256Hex } from '../../src/main/core/hash'
import { AppError } from '../../src/main/core/errors'
import { flashArtifact, type GoldenSet } from '../../src/main/boards/flash'
import { BoardSession } from '../../src/main/boards/session'
import type { FaultSpec } from '../../src/main/emulator/faults'
import { InProcessBoards, type InProcessBoard } from '../../src/main/emulator/inprocess'
import { int8Runtime } from '../../src/main/emulator/int8-runtime'

export interface CampaignOptions {
  boards: number
  flashesPerBoard: number
  /** The artifacts to flash in turn (each flash takes the next one after what the board runs). */
  artifacts: Array<{ bytes: Uint8Array; golden: GoldenSet }>
  faults: Partial<FaultSpec>
  /** Pace the line to this baud (0: as fast as the process goes). */
  baud?: number
  onFlash?: (done: number, total: number) => void
}

/** What a fault campaign counted. `corrupt` and `unverified` must be 0. */
export interface CampaignReport {
  flashes: number
  succeeded: number
  failed: number
  failures: Record<string, number>
  /** After each flash: boards running the artifact just flashed, or the one before it. */
  runningNew: number
  runningPrevious: number
  /** A running slot whose bytes do not hash to its artifact. */
  corrupt: number
  /** A running slot that is neither confirmed nor on a verified trial, or that runs nothing after a success. */
  unverified: number
  /** Boards left on trial when their flash returned (they revert by themselves; counted, not an error). */
  leftOnTrial: number
  /** After the campaign every board is rebooted: boards that came up on a verified model. */
  bootedVerified: number
  attempts: number
  resumes: number
  board: { unplugs: number; reboots: number; stalls: number; reverts: number; bitsFlipped: number; framesDropped: number; misplacedChunks: number }
  link: { crcErrors: number; framingErrors: number; retransmits: number; timeouts: number; duplicates: number; framesOut: number }
  seconds: number
}


/**
 * Flashes in-process virtual boards again and again under injected faults and checks, after every flash,
 * that each board runs either the new artifact or the one it ran before, from a slot whose bytes still
 * hash to it, never anything unverified. Drives the real session and flasher over node-serialport.
 */
export async function runCampaign(o: CampaignOptions): Promise<CampaignReport> {
  const t0 = Date.now()
  const fleet = new InProcessBoards(int8Runtime)
  const hashes = o.artifacts.map((a) => sha256Hex(a.bytes))
  const r: CampaignReport = {
    flashes: 0, succeeded: 0, failed: 0, failures: {}, runningNew: 0, runningPrevious: 0, corrupt: 0, unverified: 0, leftOnTrial: 0, bootedVerified: 0,
    attempts: 0, resumes: 0,
    board: { unplugs: 0, reboots: 0, stalls: 0, reverts: 0, bitsFlipped: 0, framesDropped: 0, misplacedChunks: 0 },
    link: { crcErrors: 0, framingErrors: 0, retransmits: 0, timeouts: 0, duplicates: 0, framesOut: 0 },
    seconds: 0
  }
  const total = o.boards * o.flashesPerBoard
  const sessions: BoardSession[] = []

  /** The board's own state, read from its flash and RAM (not over the link). */
  const check = (b: InProcessBoard, want: number, prev: number | null, ok: boolean) => {
    const vb = b.board
    if (!vb.running) {
      if (ok || prev !== null) r.unverified++
      return
    }
    const slot = vb.flash.slots[vb.running]
    const h = sha256Hex(slot.bytes.subarray(0, slot.size))
    if (h !== Buffer.from(slot.hash).toString('hex')) r.corrupt++
    if (vb.trial) {
      r.leftOnTrial++
      if (slot.state !== 'verified') r.unverified++
    } else if (slot.state !== 'confirmed' || vb.running !== vb.flash.active) r.unverified++
    if (h === hashes[want]) r.runningNew++
    else if (prev !== null && h === hashes[prev]) r.runningPrevious++
    else r.unverified++
    if (ok && (vb.trial || h !== hashes[want])) r.unverified++
  }

  const countBoards = () => {
    for (const b of fleet.boards) {
      const c = b.board.counters
      r.board.unplugs += c.unplugs
      r.board.reboots += c.reboots
      r.board.stalls += c.stalls
      r.board.reverts += c.reverts
      r.board.misplacedChunks += c.misplacedChunks
      r.board.bitsFlipped += b.board.uart.counters.bitsFlipped
      r.board.framesDropped += b.board.uart.counters.framesDropped
    }
  }

  try {
    for (let i = 0; i < o.boards; i++) {
      const b = fleet.add({ config: { pace: (o.baud ?? 0) > 0, baud: o.baud || 921600, trialTimeoutMs: 10_000 }, faults: o.faults })
      sessions.push(new BoardSession(b.path, { opener: fleet.opener, baudRate: o.baud || 921600 }))
    }
    await Promise.all(
      fleet.boards.map(async (b, i) => {
        const s = sessions[i]
        for (let k = 0; k < 20; k++) {
          try {
            await s.open()
            break
          } catch (e) {
            if (k === 19) throw e
          }
        }
        let current: number | null = null
        for (let f = 0; f < o.flashesPerBoard; f++) {
          const want: number = current === null ? i % o.artifacts.length : (current + 1) % o.artifacts.length
          let ok = false
          try {
            const res = await flashArtifact(s, o.artifacts[want].bytes, { golden: o.artifacts[want].golden, readyTimeoutMs: 60_000 })
            r.attempts += res.attempts
            r.resumes += res.resumes
            ok = true
            r.succeeded++
          } catch (e) {
            r.failed++
            const code = e instanceof AppError ? e.code : 'INTERNAL'
            r.failures[code] = (r.failures[code] ?? 0) + 1
          }
          r.flashes++
          check(b, want, current, ok)
          if (ok) current = want
          else if (b.board.running && !b.board.trial) {
            const h = sha256Hex(b.board.flash.slots[b.board.running].bytes.subarray(0, b.board.flash.slots[b.board.running].size))
            const idx = hashes.indexOf(h)
            current = idx >= 0 ? idx : current
          }
          o.onFlash?.(r.flashes, total)
        }
      })
    )
    countBoards()
    // Power-cycle every board: each must boot a confirmed slot that verifies.
    for (const b of fleet.boards) {
      b.board.reboot('end of campaign')
      const a = b.board.flash.active
      if (b.board.running && a && b.board.running === a && hashes.includes(sha256Hex(b.board.flash.slots[a].bytes.subarray(0, b.board.flash.slots[a].size)))) r.bootedVerified++
    }
  } finally {
    for (const s of sessions) {
      const c = s.counters
      r.link.crcErrors += c.crcErrors
      r.link.framingErrors += c.framingErrors
      r.link.retransmits += c.retransmits
      r.link.timeouts += c.timeouts
      r.link.duplicates += c.duplicates
      r.link.framesOut += c.framesOut
      await s.dispose()
    }
    await fleet.dispose()
    r.seconds = +((Date.now() - t0) / 1000).toFixed(1)
  }
  return r
}
