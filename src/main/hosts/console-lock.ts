import { promises as fs } from 'node:fs'
import { join } from 'node:path'

/**
 * Who owns the boards of a data directory now: one process at a time opens its ports and runs its rollout
 * queue. `diredi serve` holds it while it runs (with its URL and session token, so a CLI on the same data
 * directory submits work to it instead of fighting it for the ports); a CLI rollout holds it while it runs.
 */
export interface ConsoleInfo {
  pid: number
  /** serve: the web host (reachable over its API); electron: the desktop window (not reachable from a CLI); cli: a one-shot command. */
  kind: 'serve' | 'cli' | 'electron'
  /** What runs, for messages ("diredi serve", "diredi rollout"). */
  command: string
  startedAt: string
  /** The web host, once it listens (serve only). */
  url?: string
  port?: number
  /** The session token the WebSocket API needs (the file is readable by its owner only). */
  token?: string
}

export const consoleFile = (dataDir: string) => join(dataDir, 'console.json')

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function read(file: string): Promise<ConsoleInfo | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as ConsoleInfo
  } catch {
    return null
  }
}

/** The live process that holds the data directory, or null (a file a dead process left is removed). */
export async function runningConsole(dataDir: string): Promise<ConsoleInfo | null> {
  const file = consoleFile(dataDir)
  const info = await read(file)
  if (!info) return null
  if (alive(info.pid)) return info
  await fs.rm(file, { force: true })
  return null
}

export interface ConsoleLock {
  /** Rewrites the file with more facts (serve: its URL once it listens). */
  update(patch: Partial<Pick<ConsoleInfo, 'url' | 'port' | 'token'>>): Promise<void>
  /** Removes the file if it is still this process's. Idempotent. */
  release(): Promise<void>
}

/**
 * Takes the data directory for this process, atomically (O_EXCL): returns the lock, or the live holder
 * when another process has it. A file left by a dead process is taken over.
 */
export async function acquireConsole(dataDir: string, o: Pick<ConsoleInfo, 'kind' | 'command'>): Promise<{ lock: ConsoleLock } | { holder: ConsoleInfo }> {
  const file = consoleFile(dataDir)
  await fs.mkdir(dataDir, { recursive: true })
  let info: ConsoleInfo = { pid: process.pid, kind: o.kind, command: o.command, startedAt: new Date().toISOString() }
  for (let tries = 0; ; tries++) {
    try {
      const h = await fs.open(file, 'wx', 0o600)
      await h.writeFile(JSON.stringify(info))
      await h.close()
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 2) throw e
      const holder = await runningConsole(dataDir)
      if (holder) return { holder }
      // the holder is gone (runningConsole removed its file, or it released just now): try again
    }
  }
  let released = false
  return {
    lock: {
      async update(patch) {
        if (released) return
        info = { ...info, ...patch }
        const tmp = `${file}.${process.pid}.tmp`
        await fs.writeFile(tmp, JSON.stringify(info), { mode: 0o600 })
        await fs.rename(tmp, file)
      },
      async release() {
        if (released) return
        released = true
        if ((await read(file))?.pid === process.pid) await fs.rm(file, { force: true })
      }
    }
  }
}
