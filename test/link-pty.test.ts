import { existsSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeArtifact } from '../src/shared/int8'
import { randomInt8Model } from '../src/shared/int8/testing'
import type { ModelSpec } from '../src/shared/model/spec'
import { flashArtifact } from '../src/main/boards/flash'
import { goldenSet } from '../src/main/boards/golden'
import { hex } from '../src/main/boards/info'
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
  afterAll(async () => {
    for (const s of sessions) await s.dispose()
    await emu?.stop()
  })

  it('flashes 4 boards at once; each ends confirmed and verified, and nothing is left running', async () => {
    emu = await startEmulation({ boards: 4, baud: 921600 })
    expect(emu.boards.map((b) => b.boardId)).toEqual(['vb-0000', 'vb-0001', 'vb-0002', 'vb-0003'])
    const opener = new SerialOpener()
    const artifact = encodeArtifact(randomInt8Model(spec, 5))
    const golden = goldenSet(artifact, 8)
    for (const b of emu.boards) sessions.push(new BoardSession(b.port, { opener }))
    await Promise.all(sessions.map((s) => s.open()))
    const results = await Promise.all(sessions.map((s) => flashArtifact(s, artifact, { golden })))
    const hash = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', artifact)))
    for (const r of results) expect(r).toMatchObject({ hash, goldenChecked: 8, alreadyRunning: false, slot: 'a' })
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
    const dir = emu.dir
    await emu.stop()
    emu = null
    expect(pids.filter(alive)).toEqual([])
    expect(existsSync(dir)).toBe(false)
  })
})
