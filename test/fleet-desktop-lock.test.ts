import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { diredi } from './helpers/cli'

/**
 * The desktop console holds its data directory as `diredi serve` does (console.json, kind electron), but
 * has no API a command could submit to: fleet commands that would write the same records refuse, naming
 * it and what to do, instead of opening its boards behind its back.
 */
const dir = mkdtempSync(join(tmpdir(), 'diredi-desktop-lock-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a data directory held by the desktop console', () => {
  it('refuses a CLI rollout and board labels, naming the desktop console', () => {
    // This test process stands for the desktop console: a live pid in the console file.
    writeFileSync(join(dir, 'console.json'), JSON.stringify({ pid: process.pid, kind: 'electron', command: 'the desktop console', startedAt: new Date().toISOString() }), { mode: 0o600 })
    const r = diredi(['--data-dir', dir, 'rollout', '--model', 's-x', '--group', 'lab'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`the desktop console \\(pid ${process.pid}\\) holds this data directory and its boards; do this from its window, or close it first`))
    const l = diredi(['--data-dir', dir, 'boards', 'label', 'vb-0000', '--name', 'x'])
    expect(l.code).toBe(1)
    expect(l.stderr).toMatch(/the desktop console .* holds this data directory/)
  })

  it('takes the directory over from a desktop console that is gone', () => {
    writeFileSync(join(dir, 'console.json'), JSON.stringify({ pid: 2 ** 22 + 12345, kind: 'electron', command: 'the desktop console', startedAt: new Date().toISOString() }), { mode: 0o600 })
    const l = diredi(['--data-dir', dir, 'boards', 'known'])
    expect(l.code, l.stderr).toBe(0)
  })
})
