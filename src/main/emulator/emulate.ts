import { fork, type ChildProcess } from 'node:child_process'
import { promises as fs, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { entryPoint } from '../core/entries'
import { AppError } from '../core/errors'
import { DEFAULT_BOARD, type BoardConfig } from './board-host'
import type { ChildConfig, ChildReport } from './child-protocol'
import { NO_FAULTS, type FaultSpec } from './faults'
import { writeAnnouncement, removeAnnouncement } from '../transport/announce'

export interface EmulateOptions {
  boards: number
  baud: number
  /** Pace bytes to the baud rate (default true). */
  pace?: boolean
  faults?: FaultSpec
  /** Per-board settings (ids, budgets, capabilities), by index; from a scenario file. */
  perBoard?: Array<Partial<BoardConfig>>
  /** Where the pseudo-terminal links go (default: a new temporary folder, removed on stop). */
  dir?: string
  /** Keep each board's flash here between runs (by board id). */
  stateDir?: string
  /** Announce the ports here (`<dataDir>/emulators`) so `diredi boards` finds them. */
  announceDir?: string
  /** Per board (by index), a private data file (data-file.ts) the board keeps to itself. */
  dataFiles?: Array<string | undefined>
  /** Board ids are `${idPrefix}-0000`, ... unless perBoard names them. */
  idPrefix?: string
}

export interface EmulatedBoard {
  index: number
  boardId: string
  /** The path the console opens (a stable socat link). */
  port: string
  /** The /dev/pts device behind it now. */
  device: string
  pid: number
  socatPid: number
  baud: number
}

export interface Emulation {
  readonly boards: EmulatedBoard[]
  readonly dir: string
  /** Reports of the board processes after start (unplugged, plugged, error), for logs. */
  onReport(fn: (index: number, r: ChildReport) => void): void
  /** Stops every board process and its socat; removes the links and the announcement. Idempotent. */
  stop(): Promise<void>
}

/**
 * `diredi emulate`: N board processes, each on one end of its own socat pseudo-terminal pair. Resolves
 * when every board is up; a board that does not come up stops them all and rejects.
 */
export async function startEmulation(o: EmulateOptions): Promise<Emulation> {
  const ownDir = !o.dir
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'diredi-emulate-'))
  if (o.stateDir) await fs.mkdir(o.stateDir, { recursive: true })
  const entry = entryPoint('emulator-board')
  const children: ChildProcess[] = []
  const boards: EmulatedBoard[] = []
  const listeners: Array<(i: number, r: ChildReport) => void> = []
  const exits: Promise<void>[] = []
  let stopping: Promise<void> | null = null

  const stop = () =>
    (stopping ??= (async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM')
      const timer = setTimeout(() => {
        for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
        // A killed board cannot stop its socat: do it here.
        for (const b of boards) if (b.socatPid > 0) tryKill(b.socatPid)
      }, 5000)
      await Promise.all(exits)
      clearTimeout(timer)
      if (o.announceDir) await removeAnnouncement(o.announceDir)
      if (ownDir) await fs.rm(dir, { recursive: true, force: true })
    })())

  try {
    await Promise.all(
      Array.from({ length: o.boards }, (_, index) => {
        const boardId = o.perBoard?.[index]?.boardId ?? `${o.idPrefix ?? 'vb'}-${String(index).padStart(4, '0')}`
        const config: BoardConfig = { ...DEFAULT_BOARD, baud: o.baud, pace: o.pace ?? true, ...o.perBoard?.[index], boardId }
        const cc: ChildConfig = {
          index,
          config,
          faults: { ...NO_FAULTS, ...o.faults, seed: (o.faults?.seed ?? 1) + index },
          boardPath: join(dir, `${boardId}.board`),
          consolePath: join(dir, `tty${boardId}`),
          stateFile: o.stateDir ? join(o.stateDir, `${boardId}.flash.json`) : undefined,
          dataFile: o.dataFiles?.[index]
        }
        const child = fork(entry.file, [JSON.stringify(cc)], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
        children.push(child)
        exits.push(new Promise((r) => child.once('exit', () => r())))
        return new Promise<void>((resolve, reject) => {
          child.once('exit', (code) => reject(new AppError('IO_ERROR', `virtual board ${boardId} exited (code ${code}) before it was ready`)))
          child.on('message', (r: ChildReport) => {
            if (r.type === 'ready') {
              boards[index] = { index, boardId: r.boardId, port: r.port, device: r.device, pid: child.pid ?? -1, socatPid: r.socatPid, baud: o.baud }
              resolve()
            } else {
              if (r.type === 'plugged' && boards[index]) boards[index].socatPid = r.socatPid
              if (r.type === 'error' && !boards[index]) reject(new AppError('IO_ERROR', `virtual board ${boardId}: ${r.message}`))
              for (const l of listeners) l(index, r)
            }
          })
        })
      })
    )
  } catch (e) {
    await stop()
    throw e
  }
  if (o.announceDir) await writeAnnouncement(o.announceDir, boards.map((b) => ({ boardId: b.boardId, port: b.port })))
  return { boards, dir, onReport: (fn) => listeners.push(fn), stop }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    // gone already
  }
}
