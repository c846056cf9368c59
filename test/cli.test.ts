import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { diredi } from './helpers/cli'

describe('diredi command', () => {
  it('info --json prints one JSON object with version, data dir and backend', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diredi-cli-'))
    const r = diredi(['info', '--json', '--data-dir', dir])
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const o = JSON.parse(lines[0]) as { version: string; dataDir: string; backend: { name: string } }
    expect(o.dataDir).toBe(dir)
    expect(['tensorflow', 'wasm', 'cpu']).toContain(o.backend.name)
  })

  it('takes the data directory from DIREDI_HOME', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diredi-home-'))
    const o = JSON.parse(diredi(['--json', 'info'], { DIREDI_HOME: dir }).stdout) as { dataDir: string }
    expect(o.dataDir).toBe(dir)
  })

  it('prints human output without --json', () => {
    const r = diredi(['info', '--data-dir', mkdtempSync(join(tmpdir(), 'diredi-cli-'))])
    expect(r.stdout).toMatch(/DiReDi console \d/)
    expect(r.stdout).toMatch(/backend\s+\w+/)
  })

  it('exits 2 with a usage hint on an unknown command or a bad option', () => {
    const r = diredi(['frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown command/)
    const p = diredi(['serve', '--port', 'seventy'])
    expect(p.code).toBe(2)
    expect(p.stderr).toMatch(/--port takes a whole number/)
  })

  it('serve refuses a port in use with a clear message', async () => {
    const { createServer } = await import('node:net')
    const srv = createServer()
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
    const port = (srv.address() as { port: number }).port
    const r = diredi(['serve', '--port', String(port), '--data-dir', mkdtempSync(join(tmpdir(), 'diredi-cli-'))])
    srv.close()
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`port ${port} .* is in use; pass --port 0`))
  })
})
