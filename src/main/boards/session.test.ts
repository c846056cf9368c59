import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BoardLogLine } from '../../shared/api/boards'
import { InProcessBoards } from '../emulator/inprocess'
import { activeResources, waitFor } from '../emulator/testing'
import { BoardSession } from './session'

const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest())

describe('BoardSession over in-process virtual boards', () => {
  let boards: InProcessBoards
  const sessions: BoardSession[] = []
  let timersBefore = 0
  // Measured in a hook, as the check after: vitest's own hook timer counts in both.
  beforeEach(() => {
    timersBefore = activeResources().Timeout ?? 0
  })
  const open = (path: string, o: Partial<ConstructorParameters<typeof BoardSession>[1]> = {}) => {
    const s = new BoardSession(path, { opener: boards.opener, ...o })
    sessions.push(s)
    return s
  }
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.dispose()
    await boards?.dispose()
    expect(boards.bus.openByHost).toBe(0)
    await new Promise((r) => setTimeout(r, 20))
    expect(activeResources().Timeout ?? 0).toBeLessThanOrEqual(timersBefore)
  })

  it('handshakes and reports identity, budgets and empty slots', async () => {
    boards = new InProcessBoards(null)
    const b = boards.add({ config: { boardId: 'vb-hello', flashBytes: 64 * 1024, adaptation: 'all' } })
    const s = open(b.path)
    const info = await s.open()
    expect(info).toMatchObject({
      path: b.path, boardId: 'vb-hello', protocol: { version: 1, min: 1, max: 1 }, flashBytes: 65536, adaptation: 'all', lineRate: 921600,
      paired: false, active: null, running: null, trial: false, slots: { a: { state: 'empty', hash: null }, b: { state: 'empty' } }
    })
    expect(s.state).toBe('ready')
    expect(await s.request('PING', {}, ['PONG'])).toMatchObject({ uptimeMs: expect.any(Number) })
  })

  it('detects protocol skew and reports both ranges without guessing', async () => {
    boards = new InProcessBoards(null)
    const b = boards.add({ config: { minVersion: 2, maxVersion: 3 } })
    const s = open(b.path)
    await expect(s.open()).rejects.toMatchObject({ code: 'PROTOCOL_MISMATCH', details: { board: { min: 2, max: 3 }, console: { min: 1, max: 1 } } })
    expect(s.state).toBe('closed')
    expect(boards.bus.openByHost).toBe(0)
  })

  it('says so when nothing on the port speaks the protocol', async () => {
    boards = new InProcessBoards(null)
    boards.bus.create('/virtual/silent')
    const s = open('/virtual/silent', { helloTries: 3, helloIntervalMs: 100 })
    await expect(s.open()).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/no DiReDi board answered/) })
    await expect(open('/virtual/none').open()).rejects.toMatchObject({ code: 'PORT_NOT_FOUND' })
  })

  it('comes back by itself after an unplug, failing what was outstanding', async () => {
    boards = new InProcessBoards(null)
    const b = boards.add()
    const s = open(b.path)
    await s.open()
    const events: string[] = []
    s.on('disconnected', (why) => events.push(`lost: ${why}`))
    s.on('ready', () => events.push('ready'))
    b.device.unplug()
    await expect(s.request('PING', {}, ['PONG'])).rejects.toMatchObject({ code: 'BOARD_DISCONNECTED' })
    setTimeout(() => b.device.plug(), 300)
    const info = await s.ready(20_000)
    expect(info.boardId).toBe('vb-0000')
    expect(events[0]).toMatch(/^lost: disconnected/)
    expect(events.at(-1)).toBe('ready')
    expect(s.counters.reconnects).toBeGreaterThan(0)
    await s.request('PING', {}, ['PONG'])
  })

  it('notices a board reboot (UNSYNCED) and handshakes again', async () => {
    boards = new InProcessBoards(null)
    const b = boards.add()
    const s = open(b.path)
    const first = await s.open()
    b.board.reboot('test')
    await expect(s.request('PING', {}, ['PONG'])).rejects.toMatchObject({ code: 'BOARD_DISCONNECTED', message: expect.stringMatching(/restarted/) })
    const again = await s.ready(20_000)
    expect(again.bootCount).toBe(first.bootCount + 1)
  })

  it('keeps the log channel apart and drops replies nobody asked for', async () => {
    boards = new InProcessBoards(null)
    const b = boards.add()
    const s = open(b.path)
    await s.open()
    const lines: BoardLogLine[] = []
    s.on('log', (l) => lines.push(l))
    b.board.log('info', 'hello from the board')
    b.board.sendMsg('INFER_RESULT', { rid: 999, slot: 'a', class: 1, scores: Int8Array.of(1, 2), latencyUs: 5 })
    await waitFor(() => lines.length > 0 && s.counters.unmatchedReplies > 0, 'log and unmatched reply')
    expect(lines[0]).toMatchObject({ level: 'info', text: 'vb-0000: hello from the board', boardId: 'vb-0000' })
    expect(s.counters.unmatchedReplies).toBe(1)
  })

  it('writes and verifies a slot, resumes after an unplug at the offset the board reports', async () => {
    boards = new InProcessBoards(null)
    const b = boards.add({ config: { pace: false } })
    const s = open(b.path)
    await s.open()
    const art = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff)
    const hash = sha(art)
    let r = await s.request('FLASH_BEGIN', { slot: 'a', size: art.length, hash }, ['FLASH_READY'])
    expect(r.offset).toBe(0)
    for (let off = 0; off < 8192; off += 1024) await s.post('FLASH_DATA', { slot: 'a', offset: off, data: art.subarray(off, off + 1024) })
    b.device.unplug()
    await waitFor(() => s.state !== 'ready', 'the session to notice the unplug')
    setTimeout(() => b.device.plug(), 200)
    await s.ready(20_000)
    r = await s.request('FLASH_BEGIN', { slot: 'a', size: art.length, hash }, ['FLASH_READY'])
    expect(r.offset).toBe(8192)
    for (let off = r.offset; off < art.length; off += 1024) await s.post('FLASH_DATA', { slot: 'a', offset: off, data: art.subarray(off, off + 1024) })
    const end = await s.request('FLASH_END', { slot: 'a' }, ['FLASH_RESULT'])
    expect(end.state).toMatchObject({ state: 'verified', size: 20_000, written: 20_000 })
    // Without a runtime the board refuses to boot it: it never runs what it cannot load.
    await expect(s.request('BOOT_TRIAL', { slot: 'a', hash }, ['SLOTS'])).rejects.toMatchObject({ code: 'MODEL_INVALID' })
    expect(b.board.running).toBeNull()
  })

  it('refuses a hash mismatch on the board and erases the slot', async () => {
    boards = new InProcessBoards(null)
    const b = boards.add({ config: { pace: false } })
    const s = open(b.path)
    await s.open()
    const art = new Uint8Array(2000).fill(5)
    await s.request('FLASH_BEGIN', { slot: 'b', size: art.length, hash: new Uint8Array(32) }, ['FLASH_READY'])
    await s.post('FLASH_DATA', { slot: 'b', offset: 0, data: art })
    await expect(s.request('FLASH_END', { slot: 'b' }, ['FLASH_RESULT'])).rejects.toMatchObject({ code: 'VERIFY_FAILED', details: { boardCode: 'VERIFY_FAILED' } })
    expect(b.board.flash.slots.b.state).toBe('empty')
  })
})
