import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readScenarioBoards } from './scenario'

const dir = mkdtempSync(join(tmpdir(), 'diredi-scn-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, body: unknown) => {
  const f = join(dir, name)
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body))
  return f
}

describe('scenario boards for diredi emulate', () => {
  it("reads the DiReDi round's scenario shape, with optional board settings", () => {
    const s = readScenarioBoards(
      file('ok.json', {
        name: 'prior-3', dataset: 'mnist', seed: 7, presumed: { fraction: 0.5 },
        boards: [
          { id: 'b1', samples: 600, test_samples: 400, prior: { classes: [0, 3, 7], weights: [0.6, 0.3, 0.1] } },
          { id: 'b2', samples: 600, class: 'm4', flash_kb: 64, ram_kb: 32, adaptation: 'all', faults: 'drop=0.01' }
        ]
      })
    )
    expect(s).toEqual({ name: 'prior-3', boards: [{ boardId: 'b1' }, { boardId: 'b2', boardClass: 'm4', flashBytes: 65536, ramBytes: 32768, adaptation: 'all', faults: 'drop=0.01' }] })
  })

  it('reads every shipped scenario, with their boards’ adapt setting', async () => {
    const { readdirSync } = await import('node:fs')
    const shipped = join(process.cwd(), 'scenarios')
    for (const f of readdirSync(shipped).filter((x) => x.endsWith('.json'))) {
      const s = readScenarioBoards(join(shipped, f))
      expect(s.boards.length, f).toBeGreaterThan(0)
    }
    expect(readScenarioBoards(join(shipped, 'demo-tiny.json')).boards.map((b) => b.adaptation)).toEqual(['all', 'head'])
  })

  it('refuses bad scenarios naming the field and the reason', () => {
    expect(() => readScenarioBoards(file('a.json', '{ nope'))).toThrow(/not readable JSON/)
    expect(() => readScenarioBoards(file('b.json', { boards: [] }))).toThrow(/boards: /)
    expect(() => readScenarioBoards(file('c.json', { boards: [{ id: 'x y' }] }))).toThrow(/boards\.0\.id/)
    expect(() => readScenarioBoards(file('d.json', { boards: [{ id: 'a' }, { id: 'a' }] }))).toThrow(/boards\.1\.id: "a" appears twice/)
    expect(() => readScenarioBoards(file('e.json', { boards: [{ id: 'a', adaptation: 'most' }] }))).toThrow(/boards\.0\.adaptation/)
    expect(() => readScenarioBoards(file('f.json', { boards: [{ id: 'a', faults: 'ber=9' }] }))).toThrow(/boards\.0\.faults: fault ber=9/)
    expect(() => readScenarioBoards(join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'SCENARIO_INVALID' }))
  })
})
