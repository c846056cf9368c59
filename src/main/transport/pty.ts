import { spawn, type ChildProcess } from 'node:child_process'
import { AppError } from '../core/errors'

/** One pseudo-terminal pair made by socat: bytes written at one end come out of the other. */
export interface PtyPair {
  /** socat's process id. */
  readonly pid: number
  /** Stable path (a symlink socat makes and removes) of the board's end. */
  readonly boardPath: string
  /** Stable path of the console's end: what the console opens. */
  readonly consolePath: string
  /** The /dev/pts devices behind the two paths. */
  readonly devices: [string, string]
  /** Resolves when socat exits (for any reason), with its exit code or signal. */
  readonly exited: Promise<string>
  /** Ends socat (SIGTERM, then SIGKILL after 2 s) and waits for it. Idempotent. */
  stop(): Promise<void>
}

/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and waits until it is moving data.
 * The links keep their paths when socat is stopped and started again, which is how an emulated board is
 * unplugged and plugged back at the same path.
 */
export async function startPtyPair(boardPath: string, consolePath: string, timeoutMs = 10_000): Promise<PtyPair> {
  const args = ['-d', '-d', `pty,raw,echo=0,link=${boardPath}`, `pty,raw,echo=0,link=${consolePath}`]
  const child = spawn('socat', args, { stdio: ['ignore', 'ignore', 'pipe'] })
  const exited = new Promise<string>((resolve) => child.once('exit', (code, sig) => resolve(sig ?? String(code))))
  const devices: string[] = []
  let stderr = ''
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AppError('TIMEOUT', `socat did not start within ${timeoutMs} ms: ${stderr.trim().slice(-300)}`)), timeoutMs)
      child.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        reject(e.code === 'ENOENT' ? new AppError('IO_ERROR', 'socat is not installed; install it (apt-get install -y socat) to run boards on pseudo-terminals') : e)
      })
      child.once('exit', () => {
        clearTimeout(timer)
        reject(new AppError('IO_ERROR', `socat exited before it was ready: ${stderr.trim().slice(-300)}`))
      })
      child.stderr?.on('data', (b: Buffer) => {
        stderr += b.toString()
        for (const m of stderr.matchAll(/PTY is (\/dev\/\S+)/g)) if (!devices.includes(m[1])) devices.push(m[1])
        if (/starting data transfer loop/.test(stderr) && devices.length === 2) {
          clearTimeout(timer)
          stderr = ''
          resolve()
        }
      })
    })
  } catch (e) {
    await stopChild(child, exited)
    throw e
  }
  child.stderr?.removeAllListeners('data')
  child.stderr?.resume()
  let stopping: Promise<void> | null = null
  return {
    pid: child.pid ?? -1,
    boardPath,
    consolePath,
    devices: [devices[0], devices[1]],
    exited,
    stop: () => (stopping ??= stopChild(child, exited))
  }
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000)
  await exited
  clearTimeout(timer)
}
