import { afterEach, describe, expect, it } from 'vitest'
import { encodeArtifact } from '../../shared/int8'
import { randomInt8Model } from '../../shared/int8/testing'
import type { ModelSpec } from '../../shared/model/spec'
import { InProcessBoards, type InProcessBoardOptions } from '../emulator/inprocess'
import { int8Runtime } from '../emulator/int8-runtime'
import { flashArtifact, type FlashProgress } from './flash'
import { goldenSet } from './golden'
import { hex } from './info'
import { BoardSession } from './session'

const spec: ModelSpec = { inputShape: [784], classes: 10, layers: [{ type: 'dense', units: 24, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] }
const artifactA = encodeArtifact(randomInt8Model(spec, 1))
const artifactB = encodeArtifact(randomInt8Model(spec, 2))
const hashOf = async (b: Uint8Array) => hex(new Uint8Array(await crypto.subtle.digest('SHA-256', b)))

describe('flashArtifact', () => {
  let boards: InProcessBoards
  const sessions: BoardSession[] = []
  const setup = async (o: InProcessBoardOptions = {}) => {
    boards = new InProcessBoards(int8Runtime)
    const b = boards.add({ ...o, config: { pace: false, ...o.config } })
    const s = new BoardSession(b.path, { opener: boards.opener })
    sessions.push(s)
    await s.open()
    return { b, s }
  }
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.dispose()
    await boards.dispose()
  })

  it('writes, verifies, trial-boots, checks golden vectors and confirms; then A/B', async () => {
    const { b, s } = await setup()
    const phases = new Set<string>()
    const r1 = await flashArtifact(s, artifactA, { golden: goldenSet(artifactA, 8), onProgress: (p: FlashProgress) => phases.add(p.phase) })
    expect(r1).toMatchObject({ slot: 'a', hash: await hashOf(artifactA), bytes: artifactA.length, goldenChecked: 8, alreadyRunning: false, attempts: 1, resumes: 0 })
    expect([...phases]).toEqual(['connect', 'transfer', 'verify', 'trial', 'golden', 'confirm', 'done'])
    expect(b.board.flash.active).toBe('a')
    expect(b.board.running).toBe('a')
    expect(b.board.trial).toBe(false)

    const r2 = await flashArtifact(s, artifactB, { golden: goldenSet(artifactB, 4) })
    expect(r2.slot).toBe('b')
    expect(s.info?.slots).toMatchObject({ a: { state: 'verified', hash: await hashOf(artifactA) }, b: { state: 'confirmed', hash: await hashOf(artifactB) } })

    const r3 = await flashArtifact(s, artifactB, { golden: goldenSet(artifactB, 4) })
    expect(r3.alreadyRunning).toBe(true)
  })

  it('reverts to the previous model when the golden outputs differ', async () => {
    const { b, s } = await setup()
    await flashArtifact(s, artifactA, { golden: goldenSet(artifactA, 2) })
    const wrong = goldenSet(artifactB, 3)
    wrong.outputs[2] = wrong.outputs[2].map((x) => (x === 127 ? 126 : x + 1))
    await expect(flashArtifact(s, artifactB, { golden: wrong })).rejects.toMatchObject({ code: 'VERIFY_FAILED', message: expect.stringMatching(/golden vector 2/) })
    expect(b.board.flash.active).toBe('a')
    expect(b.board.running).toBe('a')
    expect(b.board.trial).toBe(false)
  })

  it('resumes at the board offset after an unplug, and after a reboot, mid-transfer', async () => {
    for (const fault of ['unplug', 'reboot'] as const) {
      const { b, s } = await setup({ faults: { [fault]: 1, unplugMs: 200 } })
      const r = await flashArtifact(s, artifactA, { golden: goldenSet(artifactA, 2), chunkBytes: 1024 })
      expect(r.attempts).toBeGreaterThan(1)
      expect(r.resumes).toBeGreaterThan(0)
      expect(b.board.counters[fault === 'unplug' ? 'unplugs' : 'reboots']).toBeGreaterThan(0)
      expect(b.board.flash.active).toBe(r.slot)
      await s.dispose()
      await boards.dispose()
    }
  })

  it('never confirms a model whose trial is always interrupted, and keeps the previous one', async () => {
    const { b, s } = await setup()
    await flashArtifact(s, artifactA, { golden: goldenSet(artifactA, 2) })
    b.board.env.faults.trialUnplug = 1
    b.board.env.faults.unplugMs = 100
    await expect(flashArtifact(s, artifactB, { golden: goldenSet(artifactB, 2), maxAttempts: 3 })).rejects.toMatchObject({ code: 'FLASH_FAILED' })
    await s.ready(20_000)
    expect(b.board.counters.reverts).toBeGreaterThan(0)
    expect(b.board.flash.active).toBe('a')
    expect(b.board.running).toBe('a')
    expect(b.board.trial).toBe(false)
  })

  it('refuses what does not decode or does not fit, leaving the board as it was', async () => {
    const { b, s } = await setup({ config: { flashBytes: 30_000 } })
    await flashArtifact(s, artifactA, { golden: goldenSet(artifactA, 1) })
    const garbage = artifactB.slice()
    garbage[0] ^= 0xff
    await expect(flashArtifact(s, garbage, { golden: goldenSet(artifactB, 1) })).rejects.toMatchObject({ code: 'MODEL_INVALID' })
    expect(b.board.flash.slots.b.state).toBe('bad')
    await expect(flashArtifact(s, new Uint8Array(40_000), { golden: goldenSet(artifactB, 1) })).rejects.toMatchObject({ code: 'BUDGET_UNFITTABLE' })
    expect(b.board.running).toBe('a')
    expect(b.board.flash.active).toBe('a')
  })

  it('stops when cancelled', async () => {
    const { s } = await setup()
    const abort = new AbortController()
    abort.abort()
    await expect(flashArtifact(s, artifactA, { golden: goldenSet(artifactA, 1), signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' })
  })
})
