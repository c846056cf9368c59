import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const BIN = join(process.cwd(), 'bin', 'diredi.js')

/** Runs `diredi ...args` (the built CLI, as a user runs it) to completion. */
export function diredi(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 300_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Starts `diredi serve --json ...` and resolves once it printed its URL. */
export async function serve(args: string[]): Promise<{ proc: ChildProcess; url: string; port: number; stop(): Promise<number | null> }> {
  const proc = spawn(process.execPath, [BIN, '--json', 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  proc.stderr?.on('data', (d) => (stderr += String(d)))
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! })
    rl.once('line', resolve)
    proc.once('exit', (code) => reject(new Error(`diredi serve exited (${code}) before printing its URL: ${stderr}`)))
  })
  const info = JSON.parse(first) as { url: string; port: number }
  return {
    proc,
    url: info.url,
    port: info.port,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode)
        proc.once('exit', (code) => resolve(code))
        proc.kill('SIGTERM')
      })
  }
}
