import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeArtifact } from '../../shared/int8'
import { randomInt8Model } from '../../shared/int8/testing'
import type { ModelSpec } from '../../shared/model/spec'
import { flashArtifact } from '../boards/flash'
import { goldenSet } from '../boards/golden'
import { BoardSession } from '../boards/session'
import { InProcessBoards, type InProcessBoardOptions } from './inprocess'
import { int8Runtime } from './int8-runtime'
import { loadFlash, saveFlash } from './persist'
import { waitFor } from './testing'

const spec: ModelSpec = { inputShape: [32], classes: 4, layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 4, activation: 'linear' }] }
const A = encodeArtifact(randomInt8Model(spec, 1))
const B = encodeArtifact(randomInt8Model(spec, 2))
const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest())

/** The firmware's own rules, seen over the wire: what a board refuses and what it does by itself. */
describe('virtual board firmware', () => {
  let boards: InProcessBoards
  let s: BoardSession
  const setup = async (o: InProcessBoardOptions = {}) => {
    boards = new InProcessBoards(int8Runtime)
    const b = boards.add({ ...o, config: { pace: false, ...o.config } })
    s = new BoardSession(b.path, { opener: boards.opener })
    await s.open()
    return b
  }
  afterEach(async () => {
    await s?.dispose()
    await boards?.dispose()
  })

  it('refuses to write the active slot, to confirm without a trial, and to boot what is not verified', async () => {
    await setup()
    await flashArtifact(s, A, { golden: goldenSet(A, 1) })
    const bad = (code: string) => expect.objectContaining({ details: { boardCode: code } })
    await expect(s.request('FLASH_BEGIN', { slot: 'a', size: B.length, hash: sha(B) }, ['FLASH_READY'])).rejects.toEqual(bad('BAD_SLOT'))
    await expect(s.request('CONFIRM', { slot: 'b', hash: sha(B) }, ['SLOTS'])).rejects.toEqual(bad('BAD_STATE'))
    await expect(s.request('BOOT_TRIAL', { slot: 'b', hash: sha(B) }, ['SLOTS'])).rejects.toEqual(bad('BAD_STATE'))
    await s.request('FLASH_BEGIN', { slot: 'b', size: B.length, hash: sha(B) }, ['FLASH_READY'])
    await s.post('FLASH_DATA', { slot: 'b', offset: 5, data: B.subarray(5, 100) }) // not at the write offset: ignored
    const r = await s.request('FLASH_END', { slot: 'b' }, ['FLASH_RESULT'])
    expect(r.state).toMatchObject({ state: 'writing', written: 0 })
    await expect(s.request('BOOT_TRIAL', { slot: 'b', hash: sha(B) }, ['SLOTS'])).rejects.toEqual(bad('BAD_STATE'))
    await expect(s.request('INFER', { input: new Int8Array(5) }, ['INFER_RESULT'])).rejects.toEqual(bad('BAD_REQUEST'))
  })

  it('reverts a trial nobody confirms (watchdog), and on reboot', async () => {
    const b = await setup({ config: { trialTimeoutMs: 300 } })
    await flashArtifact(s, A, { golden: goldenSet(A, 1) })
    await s.request('FLASH_BEGIN', { slot: 'b', size: B.length, hash: sha(B) }, ['FLASH_READY'])
    for (let o = 0; o < B.length; o += 1024) await s.post('FLASH_DATA', { slot: 'b', offset: o, data: B.subarray(o, o + 1024) })
    await s.request('FLASH_END', { slot: 'b' }, ['FLASH_RESULT'])
    await s.request('BOOT_TRIAL', { slot: 'b', hash: sha(B) }, ['SLOTS'])
    expect([b.board.running, b.board.trial]).toEqual(['b', true])
    await waitFor(() => !b.board.trial, 'the trial watchdog', 20_000)
    expect(b.board.running).toBe('a')
    await s.request('BOOT_TRIAL', { slot: 'b', hash: sha(B) }, ['SLOTS'])
    b.board.reboot('test')
    expect([b.board.running, b.board.trial, b.board.flash.active]).toEqual(['a', false, 'a'])
  })

  it('does not boot a confirmed slot whose bytes changed in flash', async () => {
    const b = await setup()
    await flashArtifact(s, A, { golden: goldenSet(A, 1) })
    b.board.flash.slots.a.bytes[10] ^= 0x40
    b.board.reboot('test')
    expect(b.board.running).toBeNull()
    await expect(s.request('PING', {}, ['PONG'])).rejects.toMatchObject({ code: 'BOARD_DISCONNECTED' }) // the board answers UNSYNCED
    const info = await s.ready(20_000)
    expect(info.running).toBeNull()
  })

  it('keeps its flash across a power cycle when given a place to keep it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diredi-flash-'))
    try {
      const b = await setup()
      await flashArtifact(s, A, { golden: goldenSet(A, 1) })
      const file = join(dir, 'vb.flash.json')
      await saveFlash(file, b.board.flash)
      const back = loadFlash(file, b.board.cfg.flashBytes)
      expect(back.active).toBe('a')
      expect(back.slots.a).toMatchObject({ state: 'confirmed', size: A.length, written: A.length })
      expect(back.slots.a.bytes.subarray(0, A.length)).toEqual(A)
      expect(loadFlash(join(dir, 'none.json'), 1024).active).toBeNull()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
