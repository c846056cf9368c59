import type { BoardService } from '../boards/service'
import type { BoardDirectory } from './directory'
import type { FleetLinks } from './links'
import type { Flasher } from './rollout-plan'

export interface BoardFlasherOptions {
  /** How long a rollout waits for a board that is not connected (e.g. just after a restart), ms. */
  boardWaitMs: number
  /** How long a flash waits for a board that dropped mid-flash to come back, ms. */
  readyTimeoutMs: number
  /** Golden vectors checked per board. */
  golden: number
}

export const DEFAULT_FLASHER: BoardFlasherOptions = { boardWaitMs: 60_000, readyTimeoutMs: 30_000, golden: 8 }

/**
 * Flashes an artifact to a board by its id, through its session: waits (up to `boardWaitMs`) for the board
 * to be connected, then runs the session's flash procedure under the session's exclusive lock, so nothing
 * else on that port (inference, adaptation) interleaves with it. Log lines keep flowing meanwhile: the
 * serial monitor reads the board's LOG channel of the same session and never competes for the port.
 * A failed flash leaves the board on its previous verified model (the board reverts any unconfirmed trial).
 */
export function boardFlasher(boards: BoardService, links: FleetLinks, directory: BoardDirectory, o: BoardFlasherOptions): (artifactId: string) => Flasher {
  return (artifactId) => async (boardId, ctx) => {
    const path = await links.waitOnline(boardId, o.boardWaitMs, ctx.signal)
    if (!path) {
      if (ctx.signal.aborted) return { ok: false, reason: 'cancelled before the flash started' }
      const b = directory.has(boardId) ? directory.get(boardId) : null
      return { ok: false, reason: `${boardId} is not connected (last seen ${b?.lastSeen ?? 'never'} on ${b?.port ?? 'no port'}; waited ${Math.round(o.boardWaitMs / 1000)} s); plug it in and resume the rollout` }
    }
    try {
      const r = await boards.flashTo({ path, artifact: artifactId, golden: o.golden }, { signal: ctx.signal, progress: (f) => ctx.progress(f), readyTimeoutMs: o.readyTimeoutMs })
      await directory.note(boardId, {
        kind: 'flash',
        ok: true,
        message: r.alreadyRunning ? `already ran ${artifactId} (${r.hash.slice(0, 12)}); nothing written` : `flashed ${artifactId} into slot ${r.slot} on ${path}: ${r.bytes} bytes, ${r.goldenChecked} golden vectors equal, ${r.totalMs} ms`
      })
      await links.refresh(boardId)
      return { ok: true }
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      await directory.note(boardId, { kind: 'flash', ok: false, message: `flash of ${artifactId} on ${path} failed: ${reason}` })
      await links.refresh(boardId)
      return { ok: false, reason }
    }
  }
}
