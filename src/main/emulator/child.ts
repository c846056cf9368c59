/**
 * One virtual board as a process (`diredi emulate` starts N of these): it makes a socat pseudo-terminal
 * pair, opens its own end with node-serialport's native binding, and runs the board firmware on it. The
 * console opens the other end exactly as it opens a USB board. Talks to its parent over IPC; ends (and
 * stops its socat) when told to, or when the parent goes away.
 */
import { nodeClock } from '../core/clock'
import { startPtyPair, type PtyPair } from '../transport/pty'
import { SerialOpener } from '../transport/serial'
import type { BytePort } from '../transport/types'
import { MlBoardAdapter } from './board-adapter'
import { MlPool } from '../ml/worker/pool'
import { VirtualBoard } from './board'
import { int8Runtime } from './int8-runtime'
import { loadFlash, saveFlash } from './persist'
import { readPrivateData } from './data-file'
import type { ChildConfig, ChildReport } from './child-protocol'

const cfg = JSON.parse(process.argv[2] ?? '{}') as ChildConfig
const opener = new SerialOpener()
const report = (r: ChildReport) => process.send?.(r)
let pair: PtyPair | null = null
let port: BytePort | null = null
let board: VirtualBoard | null = null
let stopping = false
let saving: Promise<void> = Promise.resolve()
/** The board's own compute for adaptation (one worker, started on the first job only). */
const pool = new MlPool(1)

async function plugIn(): Promise<void> {
  pair = await startPtyPair(cfg.boardPath, cfg.consolePath)
  const p = await opener.open(cfg.boardPath, { baudRate: cfg.config.baud })
  p.on('data', (b) => board?.input(b))
  port = p
}

async function unplug(ms: number): Promise<void> {
  const p = port
  port = null
  await p?.close()
  await pair?.stop()
  report({ type: 'unplugged', ms })
  await new Promise((r) => setTimeout(r, ms))
  if (stopping) return
  await plugIn()
  report({ type: 'plugged', socatPid: pair?.pid ?? -1 })
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  board?.dispose()
  await pool.dispose().catch(() => undefined)
  await saving.catch(() => undefined)
  await port?.close().catch(() => undefined)
  await pair?.stop()
  process.exit(code)
}

async function main(): Promise<void> {
  process.on('disconnect', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))
  process.on('SIGINT', () => void shutdown(0))
  const flash = cfg.stateFile ? loadFlash(cfg.stateFile, cfg.config.flashBytes) : undefined
  await plugIn()
  board = new VirtualBoard(
    cfg.config,
    {
      clock: nodeClock,
      runtime: int8Runtime,
      faults: cfg.faults,
      data: cfg.dataFile ? readPrivateData(cfg.dataFile) : undefined,
      adapter: new MlBoardAdapter(pool),
      unplug: (ms) => void unplug(ms).catch((e: Error) => report({ type: 'error', message: e.message })),
      persist: (f) => {
        if (cfg.stateFile) saving = saving.then(() => saveFlash(cfg.stateFile as string, f)).catch((e: Error) => void report({ type: 'error', message: `cannot save flash: ${e.message}` }))
      }
    },
    (b) => port?.write(b),
    flash
  )
  report({ type: 'ready', boardId: cfg.config.boardId, port: cfg.consolePath, device: pair?.devices[1] ?? '', socatPid: pair?.pid ?? -1 })
}

main().catch((e: Error) => {
  report({ type: 'error', message: e.message })
  void shutdown(1)
})
