import { promises as fs } from 'node:fs'
import { dirname, isAbsolute } from 'node:path'
import type { BoardLogLine } from '../../shared/api/boards'
import type { MonitorLine } from '../../shared/api/fleet-types'
import { AppError, fsErrorToApp } from '../core/errors'
import type { EventBus } from '../core/events'

/** Lines kept per board (a ring: the oldest go first). */
export const MONITOR_KEEP = 2000

export interface LogQuery {
  boardId?: string
  path?: string
  /** Only lines whose text contains this (case-insensitive)... */
  contains?: string
  /** ...at or above this level. */
  level?: MonitorLine['level']
  limit?: number
}

const LEVELS: MonitorLine['level'][] = ['debug', 'info', 'warn', 'error']

/**
 * The serial monitor's memory: every board's human log channel (LOG frames on the board's session), kept
 * per board with the time the console received each line. Reading it never touches the port: the session
 * that owns the port delivers the lines, so the monitor never competes with a flash; it simply keeps
 * receiving when the flash is done. Pausing is the viewer's business (the UI stops following, the lines
 * keep being kept).
 */
export class SerialMonitor {
  private readonly lines = new Map<string, MonitorLine[]>()
  private readonly off: () => void

  constructor(events: EventBus) {
    this.off = events.subscribe((name, payload) => {
      if (name === 'board.log') this.add(payload as BoardLogLine)
    })
  }

  private add(l: BoardLogLine): void {
    const key = l.boardId ?? l.path
    const ring = this.lines.get(key) ?? []
    this.lines.set(key, ring)
    ring.push({ boardId: l.boardId, path: l.path, level: l.level, uptimeMs: l.uptimeMs, text: l.text, at: l.at })
    if (ring.length > MONITOR_KEEP) ring.splice(0, ring.length - MONITOR_KEEP)
  }

  query(q: LogQuery): MonitorLine[] {
    const min = LEVELS.indexOf(q.level ?? 'debug')
    const needle = q.contains?.toLowerCase()
    const src = q.boardId !== undefined ? (this.lines.get(q.boardId) ?? []) : [...this.lines.values()].flat().sort((a, b) => a.at.localeCompare(b.at))
    const out = src.filter((l) => (q.path === undefined || l.path === q.path) && LEVELS.indexOf(l.level) >= min && (!needle || l.text.toLowerCase().includes(needle)))
    return out.slice(-(q.limit ?? MONITOR_KEEP))
  }

  /** Writes the matching lines as text ("ISO-time level [board@path] text") to `file`; returns how many. */
  async save(file: string, q: LogQuery): Promise<{ file: string; lines: number }> {
    if (!isAbsolute(file)) throw new AppError('INVALID_INPUT', `give an absolute path to save the log to (got ${file})`)
    const lines = this.query({ ...q, limit: q.limit ?? Number.MAX_SAFE_INTEGER })
    const text = lines.map((l) => `${l.at} ${l.level.padEnd(5)} [${l.boardId ?? '?'}@${l.path}] ${l.text}`).join('\n') + (lines.length ? '\n' : '')
    try {
      await fs.mkdir(dirname(file), { recursive: true })
      await fs.writeFile(file, text)
    } catch (e) {
      throw fsErrorToApp(e, file) ?? e
    }
    return { file, lines: lines.length }
  }

  dispose(): void {
    this.off()
    this.lines.clear()
  }
}
