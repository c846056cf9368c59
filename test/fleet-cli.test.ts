import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { RolloutView } from '../src/shared/api/fleet'
import type { BoardRecord } from '../src/shared/api/fleet-types'
import { packageRoot } from '../src/main/core/entries'
import { openRegistry } from '../src/main/store/registry'
import { artifactBytes, specModel } from './helpers/fleet'

const run = promisify(execFile)
const root = mkdtempSync(join(tmpdir(), 'diredi-cli-fleet-'))
const dataDir = join(root, 'data')
const loader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
const cli = (args: string[]) => [process.execPath, ['--import', loader, join(packageRoot, 'src/main/cli/main.ts'), '--data-dir', dataDir, ...args]] as const
const running: ChildProcess[] = []
afterAll(() => {
  for (const p of running) p.kill('SIGKILL')
  rmSync(root, { recursive: true, force: true })
})

async function diredi(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const [node, argv] = cli(args)
  try {
    const r = await run(node, argv, { cwd: root })
    return { code: 0, out: r.stdout, err: r.stderr }
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string }
    return { code: x.code, out: x.stdout, err: x.stderr }
  }
}

/** Starts `diredi emulate --boards n` and resolves with its boards once all are announced. */
async function emulate(n: number): Promise<{ proc: ChildProcess; boards: Array<{ boardId: string; port: string }>; stop(): Promise<void> }> {
  const [node, argv] = cli(['emulate', '--boards', String(n), '--baud', '921600'])
  const proc = spawn(node, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  running.push(proc)
  const boards: Array<{ boardId: string; port: string }> = []
  await new Promise<void>((resolve, reject) => {
    let buf = ''
    proc.stdout?.on('data', (b: Buffer) => {
      buf += b.toString()
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        boards.push(JSON.parse(buf.slice(0, i)) as (typeof boards)[number])
        buf = buf.slice(i + 1)
        if (boards.length === n) resolve()
      }
    })
    proc.once('exit', (code) => reject(new Error(`emulate exited early (${code})`)))
  })
  const stop = async () => {
    const exited = new Promise((r) => proc.once('exit', r))
    proc.kill('SIGTERM')
    await exited
  }
  return { proc, boards, stop }
}

describe('diredi boards label|group, rollout (CLI over real pseudo-terminals)', () => {
  it('labels and groups boards by id, rolls a model out to the group, and keeps identity across a restart on new ports', async () => {
    const first = await emulate(3)
    expect((await diredi('--json', 'boards')).code).toBe(0) // meets the boards: they enter the directory
    for (const b of first.boards) expect((await diredi('--json', 'boards', 'group', b.boardId, 'lab')).code).toBe(0)
    const lab = await diredi('--json', 'boards', 'label', 'vb-0001', '--name', 'left bench', '--labels', 'camera,rev-b')
    expect(JSON.parse(lab.out)).toMatchObject({ id: 'vb-0001', name: 'left bench', labels: ['camera', 'rev-b'], group: 'lab' })

    const reg = await openRegistry(dataDir)
    const model = await reg.models.put('student', specModel, { name: 'cli-fleet', lineage: {} })
    const art = await reg.artifacts.put(artifactBytes(31), { modelId: model.id, formatVersion: 1 })
    const ro = await diredi('--json', 'rollout', '--model', model.id, '--group', 'lab', '--concurrency', '2', '--abort-after', '2')
    expect(ro.code).toBe(0)
    const view = JSON.parse(ro.out) as RolloutView
    expect(view.plan).toMatchObject({ state: 'succeeded', artifactId: art.id, artifactHash: art.hash, concurrency: 2, abortAfter: 2 })
    expect(view.summary).toMatchObject({ total: 3, succeeded: 3, failed: 0 })
    const human = await diredi('rollout', '--artifact', art.id, '--group', 'lab')
    expect(human.code).toBe(0)
    expect(human.out).toMatch(/rollout \S+ succeeded: 3 of 3 boards flashed/)
    expect(human.err).toMatch(/3\/3 done: 3 flashed, 0 failed/)
    await first.stop()

    // the same boards (same ids, same flash) come back on new pseudo-terminals
    const second = await emulate(3)
    expect(second.boards.map((b) => b.port)).not.toEqual(first.boards.map((b) => b.port))
    expect((await diredi('--json', 'boards')).code).toBe(0)
    const known = JSON.parse((await diredi('--json', 'boards', 'known', '--group', 'lab')).out) as { boards: BoardRecord[] }
    const b1 = known.boards.find((b) => b.id === 'vb-0001') as BoardRecord
    expect(b1).toMatchObject({ name: 'left bench', labels: ['camera', 'rev-b'], group: 'lab', port: second.boards[1].port })
    expect((b1.info as { runningHash: string }).runningHash).toBe(art.hash)
    await second.stop()
  }, 120_000)
})
