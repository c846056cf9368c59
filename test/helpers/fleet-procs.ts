import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { packageRoot } from '../../src/main/core/entries'

const loader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href

/** node + argv that run `diredi --data-dir DATA ...args` from source (as `node --import tsx src/main/cli/main.ts`). */
export const sourceCli = (dataDir: string, args: string[]) => [process.execPath, ['--import', loader, join(packageRoot, 'src/main/cli/main.ts'), '--data-dir', dataDir, ...args]] as const

export interface EmulatedLine {
  board: number
  boardId: string
  port: string
  pid: number
}

/** A running `diredi emulate`: its boards (one JSON line each) and a stop that waits for the exit. */
export interface EmulateProc {
  proc: ChildProcess
  boards: EmulatedLine[]
  stop(): Promise<void>
}

/** Starts `diredi emulate ...args` and resolves once it printed a line for each of its `n` boards. */
export async function emulate(dataDir: string, n: number, args: string[], cwd: string): Promise<EmulateProc> {
  const [node, argv] = sourceCli(dataDir, ['emulate', ...args])
  const proc = spawn(node, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const boards: EmulatedLine[] = []
  await new Promise<void>((resolve, reject) => {
    let buf = ''
    proc.stdout?.on('data', (b: Buffer) => {
      buf += b.toString()
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        boards.push(JSON.parse(buf.slice(0, i)) as EmulatedLine)
        buf = buf.slice(i + 1)
        if (boards.length === n) resolve()
      }
    })
    proc.once('exit', (code) => reject(new Error(`diredi emulate exited early (${code}): ${stderr}`)))
  })
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise((r) => proc.once('exit', r))
    proc.kill('SIGTERM')
    await exited
  }
  return { proc, boards, stop }
}

/** Polls an asynchronous condition (an API call) until it holds, or fails after `ms`. */
export async function waitUntil(cond: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
