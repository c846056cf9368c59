import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RoundReport } from '../src/shared/api/diredi'
import { diredi } from './helpers/cli'
import { emulate, type EmulateProc } from './helpers/fleet-procs'

/**
 * A DiReDi round on board processes over real serial pseudo-terminals: `diredi emulate --scenario`
 * gives each board process its user's private data (a file only that process reads), and
 * `diredi round --on-ports` finds the boards by id on the ports the emulator announces.
 */
const dir = mkdtempSync(join(tmpdir(), 'diredi-pty-round-'))
let emu: EmulateProc | null = null
afterAll(async () => {
  await emu?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('diredi round --on-ports with diredi emulate --scenario', () => {
  it('refuses when the scenario’s boards are on no port, saying what to do', () => {
    const r = diredi(['--data-dir', dir, 'round', '--scenario', 'demo-tiny', '--on-ports'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/boards demo-1, demo-2 are on no port this console knows; start them \(diredi emulate --scenario FILE\)/)
  }, 120_000)

  it('runs a round on board processes that hold their own data', async () => {
    emu = await emulate(dir, 2, ['--scenario', join(process.cwd(), 'scenarios', 'demo-tiny.json')], dir)
    expect(emu.boards.map((b) => b.boardId)).toEqual(['demo-1', 'demo-2'])
    const priv = join(dir, 'emulators', 'state', 'private')
    expect(readdirSync(priv).sort()).toEqual(['demo-1.private', 'demo-2.private'])
    for (const f of readdirSync(priv)) expect(statSync(join(priv, f)).mode & 0o077).toBe(0)
    const r = diredi(['--data-dir', dir, '--json', 'round', '--scenario', 'demo-tiny', '--on-ports'])
    expect(r.code, r.stderr).toBe(0)
    const report = (JSON.parse(r.stdout) as { rounds: RoundReport[] }).rounds[0]
    expect(report.inbox.map((i) => [i.boardId, i.accepted])).toEqual([['demo-1', true], ['demo-2', true]])
    expect(report.boards.map((b) => b.adapt)).toEqual(['all', 'head'])
    for (const b of report.boards) {
      expect(b.accBefore).toBeGreaterThan(0)
      expect(b.accAdapted).toBeGreaterThan(0)
      expect(b.accCandidate).toBeGreaterThan(0)
    }
    expect(report.ledger.totals.rawSamplesUploaded).toBe(0)
    expect(report.qa).not.toBeNull()
    expect(report.ledger.boards.map((b) => b.boardId)).toEqual(['demo-1', 'demo-2'])
  }, 300_000)
})
