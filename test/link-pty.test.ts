import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeArtifact, dequantizeModel, encodeArtifact } from '../src/shared/int8'
import { randomInt8Model } from '../src/shared/int8/testing'
import type { ModelSpec } from '../src/shared/model/spec'
import { flashArtifact } from '../src/main/boards/flash'
import { goldenSet } from '../src/main/boards/golden'
import { hex } from '../src/main/boards/info'
import { pair } from '../src/main/boards/knowledge'
import { collectKnowledge } from '../src/main/diredi/knowledge'
import { KnowledgeInbox } from '../src/main/diredi/validate'
import { writePrivateData } from '../src/main/emulator/data-file'
import { mulberry32 as rng } from '../src/shared/random'
import { BoardSession } from '../src/main/boards/session'
import { startEmulation, type Emulation } from '../src/main/emulator/emulate'
import { SerialOpener } from '../src/main/transport/serial'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const spec: ModelSpec = {
  inputShape: [28, 28, 1],
  classes: 10,
  layers: [
    { type: 'conv2d', filters: 8, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' },
    { type: 'depthwiseConv2d', kernel: [3, 3], strides: [1, 1], padding: 'same', depthMultiplier: 1, activation: 'relu6' },
    { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'valid' },
    { type: 'flatten' },
    { type: 'dense', units: 32, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'linear' }
  ]
}

describe('flashing virtual boards over real pseudo-terminals (socat, native serialport binding)', () => {
  let emu: Emulation | null = null
  const sessions: BoardSession[] = []
  const dir = mkdtempSync(join(tmpdir(), 'diredi-pty-data-'))
  afterAll(async () => {
    for (const s of sessions) await s.dispose()
    await emu?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('flashes 4 boards at once (each ends confirmed and verified), carries signed knowledge back, and leaves nothing running', async () => {
    // Board 0 holds user data of its own (a file only its process reads).
    const r = rng(4)
    const split = (n: number) => ({ x: Float32Array.from({ length: n * 784 }, () => r()), y: Int32Array.from({ length: n }, () => (r() < 0.7 ? 2 : Math.floor(r() * 10))), n })
    const dataFile = join(dir, 'vb-0000.data')
    await writePrivateData(dataFile, { inputShape: [28, 28, 1], classes: 10, train: split(120), test: split(80) })
    emu = await startEmulation({ boards: 4, baud: 921600, dataFiles: [dataFile] })
    expect(emu.boards.map((b) => b.boardId)).toEqual(['vb-0000', 'vb-0001', 'vb-0002', 'vb-0003'])
    const opener = new SerialOpener()
    const artifact = encodeArtifact(randomInt8Model(spec, 5))
    const golden = goldenSet(artifact, 8)
    for (const b of emu.boards) sessions.push(new BoardSession(b.port, { opener }))
    await Promise.all(sessions.map((s) => s.open()))
    const results = await Promise.all(sessions.map((s) => flashArtifact(s, artifact, { golden })))
    const hash = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', artifact)))
    for (const r of results) expect(r).toMatchObject({ hash, goldenChecked: 8, alreadyRunning: false, slot: 'a' })
    // Reverse distillation over the real line: aggregates of private inference, then signed knowledge.
    const ev = await sessions[0].evalPrivate('test')
    expect(ev.n).toBe(80)
    expect(ev.classCounts.reduce((a, c) => a + c, 0)).toBe(80)
    const key = new Uint8Array(32).fill(9)
    await pair(sessions[0], key)
    const base = new Uint8Array(await crypto.subtle.digest('SHA-256', artifact))
    // The console's one knowledge path: upload, digest, signature, validation by the inbox.
    const shapes = new Map(dequantizeModel(decodeArtifact(artifact)).weights.tensors.map((t) => [t.name, t.shape]))
    const inbox = new KnowledgeInbox({ keyOf: (id) => (id === 'vb-0000' ? key : null), shapesOf: (h) => (h === hash ? shapes : null), maxNorm: 1e6 })
    const v = await collectKnowledge(sessions[0], inbox, base, { layers: 'head', epochs: 3, lr: 0.05, mu: 0.01 })
    if (!v.ok) throw new Error(`knowledge refused (${v.code}): ${v.reason}`)
    const k = v.knowledge
    expect(k.body).toMatchObject({ boardId: 'vb-0000', nTrain: 120, nTest: 80, epochs: 3, layers: 'head' })
    // The board process adapts its head (the last dense layer, kernel and bias) with the ml engine.
    expect(k.body.tensors.map((t) => [t.name, t.shape])).toEqual([['5/kernel', [k.body.tensors[0].shape[0], 10]], ['5/bias', [10]]])
    expect(k.body.deltaNorm).toBeGreaterThan(0)
    // Ask each board afresh (a new session: a new HELLO) what it runs.
    for (const s of sessions) await s.close()
    for (const b of emu.boards) {
      const s = new BoardSession(b.port, { opener })
      sessions.push(s)
      const info = await s.open()
      expect(info).toMatchObject({ boardId: b.boardId, active: 'a', running: 'a', trial: false, slots: { a: { state: 'confirmed', hash, written: artifact.length } } })
      await s.close()
    }
    const pids = emu.boards.flatMap((b) => [b.pid, b.socatPid])
    const linkDir = emu.dir
    await emu.stop()
    emu = null
    expect(pids.filter(alive)).toEqual([])
    expect(existsSync(linkDir)).toBe(false)
  })
})
