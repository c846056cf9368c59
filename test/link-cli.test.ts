import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeArtifact } from '../src/shared/int8'
import { randomInt8Model } from '../src/shared/int8/testing'
import type { ModelSpec } from '../src/shared/model/spec'
import { packageRoot } from '../src/main/core/entries'
import { openRegistry } from '../src/main/store/registry'
import { synthDataset } from '../src/main/store/testing/fixtures'

const run = promisify(execFile)
const root = mkdtempSync(join(tmpdir(), 'diredi-cli-link-'))
const dataDir = join(root, 'data')
const loader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
const cli = (args: string[]) => [process.execPath, ['--import', loader, join(packageRoot, 'src/main/cli/main.ts'), '--data-dir', dataDir, ...args]] as const
let emulate: ChildProcess | null = null
afterAll(() => {
  emulate?.kill('SIGKILL')
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

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const spec: ModelSpec = { inputShape: [4, 4, 1], classes: 3, layers: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 3, activation: 'linear' }] }

describe('diredi emulate, boards, flash, infer (CLI over real pseudo-terminals)', () => {
  it('starts boards that the other commands find, flash and query; stops them and leaves nothing behind', async () => {
    const [node, argv] = cli(['emulate', '--boards', '2', '--baud', '921600'])
    emulate = spawn(node, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    const lines: Array<{ boardId: string; port: string; pid: number; socatPid: number }> = []
    await new Promise<void>((resolve, reject) => {
      let buf = ''
      emulate?.stdout?.on('data', (b: Buffer) => {
        buf += b.toString()
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          lines.push(JSON.parse(buf.slice(0, i)) as (typeof lines)[number])
          buf = buf.slice(i + 1)
          if (lines.length === 2) resolve()
        }
      })
      emulate?.once('exit', (code) => reject(new Error(`emulate exited early (${code})`)))
    })
    expect(lines.map((l) => l.boardId)).toEqual(['vb-0000', 'vb-0001'])

    const listed = await diredi('--json', 'boards')
    expect(listed.code).toBe(0)
    const found = (JSON.parse(listed.out) as { boards: Array<{ path: string; state: string; info: { boardId: string } | null }> }).boards
    for (const l of lines) expect(found).toContainEqual(expect.objectContaining({ path: l.port, state: 'ready', info: expect.objectContaining({ boardId: l.boardId }) }))

    const file = join(root, 'model.drd8')
    writeFileSync(file, encodeArtifact(randomInt8Model(spec, 21)))
    const f1 = await diredi('--json', 'flash', '--port', lines[0].port, '--artifact', file)
    expect(f1.code).toBe(0)
    expect(JSON.parse(f1.out)).toMatchObject({ boardId: 'vb-0000', slot: 'a', goldenChecked: 8, alreadyRunning: false })

    const reg = await openRegistry(dataDir)
    const t = (name: string, shape: number[]) => ({ name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) })
    const model = await reg.models.put('student', { spec, weights: { tensors: [t('1/kernel', [16, 8]), t('1/bias', [8]), t('2/kernel', [8, 3]), t('2/bias', [3])] } }, { name: 'cli-student', lineage: {} })
    const art = await reg.artifacts.put(encodeArtifact(randomInt8Model(spec, 22)), { modelId: model.id, formatVersion: 1 })
    await reg.datasets.put(synthDataset('cli-set', { n: 8, m: 20, shape: [4, 4, 1], classes: 3 }))
    const f2 = await diredi('--json', 'flash', '--port', lines[1].port, '--model', model.id)
    expect(f2.code).toBe(0)
    expect(JSON.parse(f2.out)).toMatchObject({ boardId: 'vb-0001', hash: art.hash })
    const inf = await diredi('--json', 'infer', '--port', lines[1].port, '--dataset', 'cli-set', '--count', '12')
    expect(inf.code).toBe(0)
    expect(JSON.parse(inf.out)).toMatchObject({ count: 12, exactMatches: 12 })

    const bad = await diredi('--json', 'flash', '--port', join(root, 'no-such-port'), '--artifact', file)
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, error: { code: 'PORT_NOT_FOUND' } })
    const usage = await diredi('emulate', '--faults', 'ber=2')
    expect(usage.code).toBe(2)
    expect(usage.err).toMatch(/ber=2: must be a number in \[0, 0.01\]/)

    const exited = new Promise((r) => emulate?.once('exit', r))
    emulate.kill('SIGTERM')
    await exited
    emulate = null
    expect(lines.flatMap((l) => [l.pid, l.socatPid]).filter(alive)).toEqual([])
    for (const l of lines) expect(existsSync(l.port)).toBe(false)
    expect(readdirSync(join(dataDir, 'emulators')).filter((n) => n.endsWith('.json'))).toEqual([])
  })
})
