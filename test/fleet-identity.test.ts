import { afterAll, describe, expect, it } from 'vitest'
import type { BoardRecord, FleetPort, FleetPortEvent, MonitorLine } from '../src/shared/api/fleet-types'
import { waitFor } from '../src/main/emulator/testing'
import { tempDir } from '../src/main/store/testing/fixtures'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { artifactBytes, call, fleetBench, running, specModel } from './helpers/fleet'

/** Stable identity: a board unplugged and plugged into another port is the same board, with its history. */
describe('board identity across ports', () => {
  const tmp = tempDir('diredi-fleet-id-')
  const cleanup: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c()
    tmp.remove()
  })

  it('keeps name, labels, group and history when the board moves to another port', async () => {
    const { boards, app } = await fleetBench(tmp.dir, 2)
    cleanup.push(() => boards.dispose(), () => app.dispose())
    const portEvents: FleetPortEvent[] = []
    app.events.subscribe((n, p) => n === 'fleet.port' && portEvents.push(p as FleetPortEvent))
    const [first] = boards.boards
    // OS ports are listed, never opened by themselves
    await app.services.fleet.discovery.scan()
    expect((await call<Array<{ path: string; status: string; auto: boolean }>>(app, 'fleet.ports', {})).find((p) => p.path === first.path)).toMatchObject({ status: 'listed', auto: false })
    expect(app.services.boards.list()).toEqual([])

    const added = await call<{ status: string; boardId: string }>(app, 'fleet.addPort', { path: first.path })
    expect(added).toMatchObject({ status: 'open', boardId: 'vb-0000' })
    await waitFor(() => app.services.directory.has('vb-0000') && app.services.directory.get('vb-0000').online, 'vb-0000 online')
    await app.services.fleet.links.flushed()
    await call(app, 'fleet.label', { id: 'vb-0000', name: 'bench left', labels: ['camera', 'rev-b'], group: 'lab' })

    // unplug it for good from its port, and plug the same board (same flash, same id) into a new port
    first.device.unplug()
    await waitFor(() => !app.services.directory.get('vb-0000').online, 'vb-0000 offline')
    const moved = boards.add({ path: '/virtual/hub2-port7', config: { boardId: 'vb-0000', pace: false } })
    moved.board.flash.slots = first.board.flash.slots
    await call(app, 'fleet.addPort', { path: moved.path })
    await waitFor(() => app.services.directory.get('vb-0000').online, 'vb-0000 back online')
    await app.services.fleet.links.flushed()

    const rec = await call<BoardRecord>(app, 'fleet.board', { id: 'vb-0000' })
    expect(rec).toMatchObject({ id: 'vb-0000', name: 'bench left', labels: ['camera', 'rev-b'], group: 'lab', port: '/virtual/hub2-port7', online: true })
    expect(app.services.fleet.links.pathOf('vb-0000')).toBe('/virtual/hub2-port7')
    const hist = (await call<Array<{ kind: string; message: string }>>(app, 'fleet.history', { id: 'vb-0000' })).map((h) => `${h.kind}: ${h.message}`)
    expect(hist[0]).toBe(`seen: first seen on ${first.path}`)
    expect(hist).toContainEqual(expect.stringMatching(/^label: name bench left, group lab/))
    expect(hist).toContainEqual(expect.stringMatching(/^lost: \/virtual\/vb-0: /))
    expect(hist.at(-1)).toBe(`seen: moved from ${first.path} to /virtual/hub2-port7`)
    expect(portEvents.map((e) => e.change)).toContain('changed')
    expect(portEvents.some((e) => e.change === 'added' && e.port.path === '/virtual/hub2-port7')).toBe(true)

    // the record survives a console restart (offline until a session says otherwise)
    await app.dispose()
    const again = await fleetBench(tmp.dir, 0)
    cleanup.push(() => again.boards.dispose(), () => again.app.dispose())
    expect(again.app.services.directory.get('vb-0000')).toMatchObject({ name: 'bench left', group: 'lab', online: false, port: '/virtual/hub2-port7' })
  })

  it('keeps each board\'s log lines for the serial monitor, filters them and saves them to a file', async () => {
    const { boards, app } = await fleetBench(join(tmp.dir, 'mon'), 1)
    cleanup.push(() => boards.dispose(), () => app.dispose())
    await call(app, 'fleet.addPort', { path: boards.boards[0].path })
    const s = await app.services.boards.session(boards.boards[0].path)
    await s.reboot() // the board logs its boot
    await waitFor(() => app.services.fleet.monitor.query({ boardId: 'vb-0000' }).length > 0, 'a log line')
    const lines = await call<MonitorLine[]>(app, 'fleet.logs', { boardId: 'vb-0000' })
    expect(lines[0]).toMatchObject({ boardId: 'vb-0000', path: boards.boards[0].path, at: expect.stringMatching(/^\d{4}-/) })
    expect(await call<MonitorLine[]>(app, 'fleet.logs', { boardId: 'vb-0000', contains: 'no-such-text-xyz' })).toEqual([])
    const file = join(tmp.dir, 'mon', 'saved', 'vb-0000.log')
    expect(await call(app, 'fleet.saveLog', { boardId: 'vb-0000', file })).toEqual({ file, lines: lines.length })
    expect(readFileSync(file, 'utf8').split('\n')[0]).toContain('[vb-0000@/virtual/vb-0]')
    await expect(call(app, 'fleet.saveLog', { file: 'relative.log' })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('a port another program holds is reported busy and retried with back-off until it is free', async () => {
    const { boards, app } = await fleetBench(join(tmp.dir, 'busy'), 1)
    cleanup.push(() => boards.dispose(), () => app.dispose())
    const path = boards.boards[0].path
    const other = await boards.opener.open(path, { baudRate: 921600 }) // "another program"
    const p = await call<FleetPort>(app, 'fleet.addPort', { path })
    expect(p).toMatchObject({ status: 'retrying', attempts: 1, error: { code: 'PORT_BUSY', message: expect.stringMatching(/in use by another program.*trying again in/) } })
    await waitFor(() => app.services.fleet.discovery.get(path).attempts >= 2, 'a second attempt')
    expect(app.services.fleet.discovery.get(path).status).toBe('retrying')
    await other.close()
    await waitFor(() => app.services.fleet.discovery.get(path).status === 'open', 'the port opened once free')
    expect(app.services.fleet.discovery.get(path)).toMatchObject({ boardId: 'vb-0000', error: null, attempts: 0 })
    expect(await call(app, 'fleet.removePort', { path })).toEqual({ removed: true })
    expect(app.services.boards.existing(path)).toBeUndefined()
  })

  it('notes a single flash job (by port) in the board\'s history, and its record shows the new slots', async () => {
    const { boards, app } = await fleetBench(join(tmp.dir, 'job'), 1)
    cleanup.push(() => boards.dispose(), () => app.dispose())
    const path = boards.boards[0].path
    await call(app, 'fleet.addPort', { path })
    const model = await app.services.registry.models.put('student', specModel, { name: 'tiny', lineage: {} })
    const art = await app.services.registry.artifacts.put(artifactBytes(3), { modelId: model.id, formatVersion: 1 })
    const job = await call<{ id: string }>(app, 'boards.flash', { path, artifact: art.id, golden: 2 })
    expect((await app.services.jobs.wait(job.id)).state).toBe('succeeded')
    await waitFor(() => running(app.services.directory.get('vb-0000')) === art.hash, 'the record to show the new model: ' + JSON.stringify(app.services.directory.get('vb-0000').info), 3000)
    const hist = await call<Array<{ kind: string; jobId?: string; ok?: boolean; message: string }>>(app, 'fleet.history', { id: 'vb-0000' })
    expect(hist.at(-1)).toMatchObject({ kind: 'flash', jobId: job.id, ok: true, message: expect.stringMatching(/^flash job: slot a confirmed with/) })
  })
})
