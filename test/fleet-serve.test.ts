import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { RolloutView } from '../src/shared/api/fleet'
import type { BoardTelemetry } from '../src/shared/api/fleet-types'
import { consoleFile, runningConsole } from '../src/main/hosts/console-lock'
import { RemoteConsole } from '../src/main/hosts/remote-console'
import { openRegistry } from '../src/main/store/registry'
import { artifactBytes, specModel } from './helpers/fleet'
import { emulate, sourceCli, waitUntil, type EmulateProc } from './helpers/fleet-procs'

const run = promisify(execFile)

/**
 * `diredi rollout` while `diredi serve` runs on the same data directory: the CLI finds the console through
 * the console file serve writes (pid, port, token), submits the rollout to it over its WebSocket API and
 * follows it there, so only one process ever opens the boards' ports. A second serve, or a rollout while
 * another CLI rollout holds the directory, is refused with what to do.
 */
describe('diredi rollout with a running diredi serve (real pseudo-terminals)', () => {
  const root = mkdtempSync(join(tmpdir(), 'diredi-fleet-serve-'))
  const dataDir = join(root, 'data')
  const procs: EmulateProc[] = []
  const children: ChildProcess[] = []
  let rc: RemoteConsole | null = null
  afterAll(async () => {
    await rc?.close()
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    for (const p of procs) await p.stop()
    rmSync(root, { recursive: true, force: true })
  })

  async function diredi(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const [node, argv] = sourceCli(dataDir, args)
    try {
      const r = await run(node, argv, { cwd: root })
      return { code: 0, out: r.stdout, err: r.stderr }
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string }
      return { code: x.code, out: x.stdout, err: x.stderr }
    }
  }

  async function serve(): Promise<{ proc: ChildProcess; url: string; pid: number }> {
    const [node, argv] = sourceCli(dataDir, ['--json', 'serve', '--port', '0'])
    const proc = spawn(node, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(proc)
    let stderr = ''
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: proc.stdout! }).once('line', resolve)
      proc.once('exit', (code) => reject(new Error(`diredi serve exited (${code}): ${stderr}`)))
    })
    return { proc, ...(JSON.parse(line) as { url: string; pid: number }) }
  }

  it('submits the rollout to the running console, which flashes the boards; a second console is refused', async () => {
    const emu = await emulate(dataDir, 3, ['--boards', '3', '--baud', '921600'], root)
    procs.push(emu)
    const reg = await openRegistry(dataDir)
    const model = await reg.models.put('student', specModel, { name: 'serve-fleet', lineage: {} })
    const art = await reg.artifacts.put(artifactBytes(41), { modelId: model.id, formatVersion: 1 })

    const server = await serve()
    const info = await runningConsole(dataDir)
    expect(info).toMatchObject({ pid: server.pid, kind: 'serve', url: server.url, port: expect.any(Number), token: expect.any(String) })
    rc = await RemoteConsole.connect(info!)
    const remote = rc
    const seenRollouts = new Set<string>()
    remote.onEvent((name, p) => name === 'fleet.rollout' && seenRollouts.add((p as RolloutView).plan.id))
    await waitUntil(async () => (await remote.invoke('fleet.boards', {})).filter((b) => b.online).length === 3, 'the console to meet the 3 boards', 60_000)
    // `diredi boards group` goes to the serving console too (its directory is the live one)
    for (const b of emu.boards) {
      const g = await diredi('--json', 'boards', 'group', b.boardId, 'lab')
      expect([g.code, g.err]).toEqual([0, ''])
    }
    expect((await remote.invoke('fleet.boards', { group: 'lab' })).map((b) => b.id).sort()).toEqual(emu.boards.map((b) => b.boardId).sort())

    // a second console on the same data directory says who has it and what to do
    const second = await diredi('serve', '--port', '0')
    expect(second.code).toBe(1)
    expect(second.err).toContain(`diredi serve (pid ${server.pid}) already uses this data directory and serves it at http://127.0.0.1:`)
    expect(second.err).toMatch(/stop it \(kill \d+\) first.*\[BUSY\]/)

    const ro = await diredi('--json', 'rollout', '--model', model.id, '--group', 'lab', '--concurrency', '2')
    expect(ro.err).toBe('')
    expect(ro.code).toBe(0)
    const view = JSON.parse(ro.out) as RolloutView
    expect(view.plan).toMatchObject({ state: 'succeeded', artifactHash: art.hash })
    expect(view.summary).toMatchObject({ total: 3, succeeded: 3, failed: 0 })
    // it ran in the serving console: its events carried it, and it knows the rollout and the boards' new model
    expect(seenRollouts.has(view.plan.id)).toBe(true)
    expect((await remote.invoke('fleet.rolloutGet', { id: view.plan.id })).plan.state).toBe('succeeded')
    await waitUntil(async () => (await remote.invoke('fleet.boards', { group: 'lab' })).every((b) => (b.info as { runningHash?: string }).runningHash === art.hash), 'the records to show the new model')
    for (const b of await remote.invoke('fleet.boards', { group: 'lab' })) expect(b.online).toBe(true) // the ports never left the console

    // the flash's golden checks were inferences on the boards: the console counted them
    const tel = JSON.parse((await diredi('--json', 'boards', 'telemetry', emu.boards[0].boardId)).out) as { telemetry: BoardTelemetry[] }
    expect(tel.telemetry[0].boardId).toBe(emu.boards[0].boardId)
    expect(tel.telemetry[0].inferences).toBeGreaterThan(0)
    expect(tel.telemetry[0].recent.latencyUs?.mean).toBeGreaterThan(0)

    const human = await diredi('rollout', '--artifact', art.id, '--group', 'lab')
    expect(human.code).toBe(0)
    expect(human.err).toMatch(new RegExp(`submitting to the console that serves this data directory \\(diredi serve, pid ${server.pid}, http://127\\.0\\.0\\.1:\\d+/\\)`))
    expect(human.err).not.toContain('#token') // the token is not printed
    expect(human.out).toMatch(/rollout \S+ succeeded: 3 of 3 boards flashed/)

    // serve stops: its console file goes, and a rollout is run by the CLI itself again
    await rc.close()
    rc = null
    const exited = new Promise((r) => server.proc.once('exit', r))
    server.proc.kill('SIGTERM')
    await exited
    expect(existsSync(consoleFile(dataDir))).toBe(false)
    // the serving console kept the telemetry on disk when it stopped
    const kept = JSON.parse((await diredi('--json', 'boards', 'telemetry', emu.boards[0].boardId)).out) as { telemetry: BoardTelemetry[] }
    expect(kept.telemetry[0].inferences).toBe(tel.telemetry[0].inferences)
    const local = await diredi('--json', 'rollout', '--artifact', art.id, '--group', 'lab')
    expect(JSON.parse(local.out)).toMatchObject({ plan: { state: 'succeeded' }, summary: { succeeded: 3 } })
  }, 180_000)

  it('refuses a rollout while another CLI rollout holds the data directory, and says what to do', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    children.push(holder)
    writeFileSync(consoleFile(dataDir), JSON.stringify({ pid: holder.pid, kind: 'cli', command: 'diredi rollout', startedAt: new Date().toISOString() }))
    const r = await diredi('--json', 'rollout', '--model', 'whatever', '--group', 'lab')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toEqual({ ok: false, error: { code: 'BUSY', message: `diredi rollout (pid ${holder.pid}) is using the boards of this data directory; wait for it to end, then run the rollout again` } })
    holder.kill('SIGKILL')
  })
})
