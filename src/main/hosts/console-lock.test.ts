import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../store/testing/fixtures'
import { acquireConsole, consoleFile, runningConsole } from './console-lock'

/** A pid that is certainly not running: a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number

describe('console lock (one owner of a data directory)', () => {
  const tmp = tempDir('diredi-lock-')
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
  afterAll(() => {
    sleeper.kill('SIGKILL')
    tmp.remove()
  })

  it('takes a free directory, writes facts readable by the owner only, updates and releases them', async () => {
    const dir = join(tmp.dir, 'a')
    const got = await acquireConsole(dir, { kind: 'serve', command: 'diredi serve' })
    if (!('lock' in got)) throw new Error('expected the lock')
    expect(await runningConsole(dir)).toMatchObject({ pid: process.pid, kind: 'serve', command: 'diredi serve' })
    await got.lock.update({ url: 'http://127.0.0.1:1234/#token=t', port: 1234, token: 't' })
    expect(JSON.parse(readFileSync(consoleFile(dir), 'utf8'))).toMatchObject({ pid: process.pid, port: 1234, token: 't' })
    expect(statSync(consoleFile(dir)).mode & 0o777).toBe(0o600)
    // a second taker (here the same process) is told who holds it
    expect(await acquireConsole(dir, { kind: 'cli', command: 'diredi rollout' })).toEqual({ holder: expect.objectContaining({ pid: process.pid, kind: 'serve', port: 1234 }) })
    await got.lock.release()
    await got.lock.release()
    expect(existsSync(consoleFile(dir))).toBe(false)
    expect(await runningConsole(dir)).toBeNull()
  })

  it('names a live holder and takes over from a dead one', async () => {
    const dir = join(tmp.dir, 'b')
    mkdirSync(dir, { recursive: true })
    writeFileSync(consoleFile(dir), JSON.stringify({ pid: sleeper.pid, kind: 'cli', command: 'diredi rollout', startedAt: new Date().toISOString() }))
    expect(await acquireConsole(dir, { kind: 'serve', command: 'diredi serve' })).toEqual({ holder: expect.objectContaining({ pid: sleeper.pid, command: 'diredi rollout' }) })
    // a console killed with SIGKILL left its file: the next one takes the directory
    writeFileSync(consoleFile(dir), JSON.stringify({ pid: deadPid(), kind: 'serve', command: 'diredi serve', startedAt: new Date().toISOString(), port: 1 }))
    const got = await acquireConsole(dir, { kind: 'cli', command: 'diredi rollout' })
    expect('lock' in got).toBe(true)
    expect(JSON.parse(readFileSync(consoleFile(dir), 'utf8'))).toMatchObject({ pid: process.pid, kind: 'cli' })
    if ('lock' in got) await got.lock.release()
  })

  it('a release does not remove a file another process wrote since', async () => {
    const dir = join(tmp.dir, 'c')
    const got = await acquireConsole(dir, { kind: 'cli', command: 'diredi rollout' })
    if (!('lock' in got)) throw new Error('expected the lock')
    writeFileSync(consoleFile(dir), JSON.stringify({ pid: sleeper.pid, kind: 'serve', command: 'diredi serve', startedAt: '' }))
    await got.lock.release()
    expect(await runningConsole(dir)).toMatchObject({ pid: sleeper.pid })
  })
})
