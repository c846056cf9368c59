import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BoardHistoryEntry, BoardRecord } from '../src/shared/api/fleet-types'
import { createApp, type App } from '../src/main/app/app'
import { waitFor } from '../src/main/emulator/testing'
import { call } from './helpers/fleet'
import { emulate, type EmulateProc } from './helpers/fleet-procs'

/**
 * The first "done when": `diredi emulate --boards 8` runs as its own process (boards on socat
 * pseudo-terminals), a console is connected to it through the data directory's announcements, and one
 * board is stopped and started again by a second `diredi emulate` on another port. The console knows it
 * as the same board: same record (name, group, first sighting), and a history with both sightings.
 */
describe('identity across ports with `diredi emulate --boards 8`', () => {
  const root = mkdtempSync(join(tmpdir(), 'diredi-fleet-emu-'))
  const dataDir = join(root, 'data')
  const procs: EmulateProc[] = []
  let app: App | null = null
  afterAll(async () => {
    await app?.dispose()
    for (const p of procs) await p.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it('a board stopped and restarted on another port keeps its identity and history', async () => {
    const eight = await emulate(dataDir, 8, ['--boards', '8', '--baud', '921600'], root)
    procs.push(eight)
    app = await createApp({ dataDir, host: 'cli', fleet: { autostart: true, discovery: { pollMs: 200, backoffMinMs: 100, backoffMaxMs: 1000, watch: true } } })
    const ids = eight.boards.map((b) => b.boardId)
    const online = (id: string) => app?.services.directory.has(id) === true && app.services.directory.get(id).online
    await waitFor(() => ids.every(online), 'the 8 emulated boards online in the console', 60_000)
    await app.services.fleet.links.flushed()
    const target = eight.boards[3]
    await call(app, 'fleet.label', { id: target.boardId, name: 'bench 3', labels: ['camera'], group: 'lab' })
    const before = await call<BoardRecord>(app, 'fleet.board', { id: target.boardId })
    expect(before).toMatchObject({ port: target.port, online: true })

    // "unplug": stop that board's process (its pseudo-terminal goes with it); the other seven stay
    process.kill(target.pid, 'SIGTERM')
    await waitFor(() => !online(target.boardId), `${target.boardId} offline`, 30_000)

    // "plug into another port": the same board id in a second `diredi emulate`, on a new pseudo-terminal
    const scenario = join(root, 'one.json')
    writeFileSync(scenario, JSON.stringify({ boards: [{ id: target.boardId }] }))
    const again = await emulate(dataDir, 1, ['--scenario', scenario, '--baud', '921600'], root)
    procs.push(again)
    const newPort = again.boards[0].port
    expect(newPort).not.toBe(target.port)
    await waitFor(() => online(target.boardId) && app?.services.directory.get(target.boardId).port === newPort, `${target.boardId} back on ${newPort}`, 60_000)
    await app.services.fleet.links.flushed()

    const rec = await call<BoardRecord>(app, 'fleet.board', { id: target.boardId })
    expect(rec).toMatchObject({ id: target.boardId, name: 'bench 3', labels: ['camera'], group: 'lab', port: newPort, online: true, firstSeen: before.firstSeen })
    expect(app.services.fleet.links.pathOf(target.boardId)).toBe(newPort)
    const hist = (await call<BoardHistoryEntry[]>(app, 'fleet.history', { id: target.boardId })).map((h) => `${h.kind}: ${h.message}`)
    expect(hist[0]).toBe(`seen: first seen on ${target.port}`)
    expect(hist).toContainEqual(expect.stringMatching(/^label: name bench 3, group lab/))
    expect(hist).toContainEqual(expect.stringMatching(new RegExp(`^lost: ${target.port.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `)))
    expect(hist.at(-1)).toBe(`seen: moved from ${target.port} to ${newPort}`)
    // one board id, one record: the directory did not make a second board of it
    const all = await call<BoardRecord[]>(app, 'fleet.boards', {})
    expect(all.map((b) => b.id).sort()).toEqual([...ids].sort())
    // the other seven never dropped
    for (const id of ids.filter((x) => x !== target.boardId)) {
      expect(online(id)).toBe(true)
      expect((await call<BoardHistoryEntry[]>(app, 'fleet.history', { id })).filter((h) => h.kind === 'lost')).toEqual([])
    }
  }, 120_000)
})
