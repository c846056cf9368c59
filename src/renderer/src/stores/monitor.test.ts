import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeApi } from '../testing/fake-api'
import { provideApi } from './api'
import { MONITOR_KEEP, useMonitorStore } from './monitor'
import type { BoardLogLine } from '../../../shared/api/boards'

const line = (boardId: string | null, text: string, level: BoardLogLine['level'] = 'info'): BoardLogLine => ({ path: '/dev/pts/1', boardId, level, uptimeMs: 1, text, at: '2026-01-01T00:00:00Z' })

describe('monitor store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it("loads a board's lines, appends live lines of that board only, by the filter", async () => {
    f.stub('fleet.logs', () => ({ ok: true, value: [line('b1', 'boot')] }))
    const s = useMonitorStore()
    await s.open('b1')
    f.emit('board.log', line('b1', 'model loaded'))
    f.emit('board.log', line('b2', 'other board'))
    f.emit('board.log', line(null, 'unknown board'))
    expect(s.lines.map((l) => l.text)).toEqual(['boot', 'model loaded'])
    s.level = 'warn'
    s.contains = 'FLASH'
    await s.open('b1')
    expect(f.calls.at(-1)?.params).toEqual({ boardId: 'b1', contains: 'FLASH', level: 'warn', limit: 5000 })
    f.emit('board.log', line('b1', 'flash slot b', 'info'))
    f.emit('board.log', line('b1', 'flash crc bad', 'error'))
    f.emit('board.log', line('b1', 'watchdog', 'error'))
    expect(s.lines.map((l) => l.text)).toEqual(['boot', 'flash crc bad'])
  })

  it('holds lines while paused, counts them, and appends them on resume', async () => {
    f.stub('fleet.logs', () => ({ ok: true, value: [] }))
    const s = useMonitorStore()
    await s.open('b1')
    s.setPaused(true)
    f.emit('board.log', line('b1', 'one'))
    f.emit('board.log', line('b1', 'two'))
    expect(s.lines).toEqual([])
    expect(s.heldCount).toBe(2)
    s.setPaused(false)
    expect(s.lines.map((l) => l.text)).toEqual(['one', 'two'])
    expect(s.heldCount).toBe(0)
  })

  it('saves with the same filter and keeps a refusal', async () => {
    f.stub('fleet.logs', () => ({ ok: true, value: [] }))
    f.stub('fleet.saveLog', (p) => (p.file.startsWith('/') ? { ok: true, value: { file: p.file, lines: 7 } } : { ok: false, error: { code: 'INVALID_INPUT', message: 'file must be an absolute path' } }))
    const s = useMonitorStore()
    await s.open('b1')
    s.contains = 'x'
    expect(await s.save(' /tmp/b1.log ')).toBe(true)
    expect(f.calls.at(-1)?.params).toEqual({ boardId: 'b1', contains: 'x', file: '/tmp/b1.log' })
    expect(s.saved).toEqual({ file: '/tmp/b1.log', lines: 7 })
    expect(await s.save('b1.log')).toBe(false)
    expect(s.error?.message).toMatch(/absolute/)
  })

  it('keeps the newest lines and counts those dropped from the front', async () => {
    f.stub('fleet.logs', () => ({ ok: true, value: [] }))
    const s = useMonitorStore()
    await s.open('b1')
    for (let i = 0; i < MONITOR_KEEP + 3; i++) f.emit('board.log', line('b1', `n${i}`))
    expect(s.lines.length).toBe(MONITOR_KEEP)
    expect(s.dropped).toBe(3)
    expect(s.lines[0].text).toBe('n3')
    await s.open('b1')
    expect(s.dropped).toBe(0)
  })
})
