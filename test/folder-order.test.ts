/**
 * The folders of src/main import downward only (docs/architecture.md, "Folder order"): the lint rule
 * refuses an upward import and accepts a downward one, and scripts/check-cycles.mjs finds file and folder
 * cycles in a planted tree and none in src/main.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ESLint } from 'eslint'

const eslint = new ESLint({ cwd: process.cwd() })

async function orderErrors(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath })
  return r.messages.filter((m) => m.ruleId === 'local/folder-order').map((m) => m.message)
}

describe('folder order lint rule', () => {
  it.each([
    [
      'src/main/core/bad.ts',
      "import { BoardService } from '../boards/service'\nexport const x = BoardService",
      /core may not import src\/main\/boards/
    ],
    [
      'src/main/boards/bad.ts',
      "import { DirediService } from '../diredi/service'\nexport const x = DirediService",
      /boards may not import src\/main\/diredi/
    ],
    ['src/main/store/bad.ts', "export { loadCsv } from '../ml/data/csv-import'", /store may not import src\/main\/ml/],
    [
      'src/main/transport/bad.ts',
      "export const x = () => import('../store/registry')",
      /transport may not import src\/main\/store/
    ],
    [
      'src/main/emulator/deep/bad.ts',
      "import type { Services } from '../../app/services'\nexport type X = Services",
      /emulator may not import src\/main\/app/
    ],
    [
      'src/main/ml/bad.ts',
      "import { BoardService } from '../boards/service'\nimport { startWebHost } from '../hosts/web/server'\nexport const x = [BoardService, startWebHost]",
      /ml may not import src\/main\/hosts/
    ],
    [
      'src/main/stations/a.ts',
      "import { AppError } from '../core/errors'\nexport const x = AppError",
      /src\/main\/stations is not in the folder order/
    ]
  ])('%s is refused', async (file, code, why) => {
    const errs = await orderErrors(file, code)
    expect(errs.length).toBeGreaterThan(0)
    expect(errs.join('\n')).toMatch(why)
  })

  it.each([
    [
      'src/main/boards/ok.ts',
      "import { AppError } from '../core/errors'\nimport type { BytePort } from '../transport/types'\nexport const x = AppError\nexport type P = BytePort"
    ],
    [
      'src/main/diredi/ok.ts',
      "import { BoardService } from '../boards/service'\nimport { MlService } from '../ml/service'\nexport const x = [BoardService, MlService]"
    ],
    ['src/main/cli/ok.ts', "import { startWebHost } from '../hosts/web/server'\nexport const x = startWebHost"],
    [
      'src/main/ml/data/ok.ts',
      "import { splitFields } from './csv'\nimport type { Registry } from '../../store/types'\nexport const x = splitFields\nexport type R = Registry"
    ],
    // A test drives its folder against real parts above it (a boards test talks to an emulated board).
    [
      'src/main/boards/ok.test.ts',
      "import { InProcessBoards } from '../emulator/inprocess'\nexport const x = InProcessBoards"
    ]
  ])('%s is allowed', async (file, code) => {
    expect(await orderErrors(file, code)).toEqual([])
  })
})

describe('scripts/check-cycles.mjs', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'cycles-'))
    dirs.push(root)
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name)), { recursive: true })
      writeFileSync(join(root, name), text)
    }
    return root
  }
  const check = (root?: string) =>
    spawnSync(process.execPath, ['scripts/check-cycles.mjs', ...(root ? [root] : [])], { encoding: 'utf8' })

  it('finds a file cycle through a type import and an export-from, and a folder cycle', () => {
    const root = tree({
      'low/a.ts': "import type { B } from './b'\nexport type A = B | 1\n",
      'low/b.ts': "export { c } from './c'\nexport type B = 2\n",
      'low/c.ts': "import { type A } from './a'\nexport const c = (a: A) => a\n",
      'low/d.ts': "import { top } from '../high/top'\nexport const d = top\n",
      'high/top.ts': "export const top = 1\nexport const lazy = () => import('../low/b')\n",
      // comments and tests do not count
      'high/note.ts': "// import { d } from '../low/d'\n/* import '../low/a' */\nexport const n = 1\n",
      'low/e.test.ts': "import { n } from '../high/note'\nexport const e = n\n"
    })
    const r = check(root)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('folder cycle: high -> low -> high')
    expect(r.stderr).toMatch(/low -> high: low\/d\.ts imports high\/top\.ts/)
    expect(r.stderr).toMatch(/file cycle \(3 files\): low\/a\.ts -> low\/b\.ts -> low\/c\.ts -> low\/a\.ts/)
    expect(r.stderr).not.toContain('note.ts')
  })

  it('passes a tree whose imports go one way, and passes src/main', () => {
    const root = tree({
      'low/a.ts': 'export const a = 1\n',
      'low/b.ts': "import { a } from './a'\nexport const b = a\n",
      'high/c.ts': "import { b } from '../low/b'\nexport { a } from '../low/a'\nexport const c = b\n"
    })
    const r = check(root)
    expect([r.status, r.stderr]).toEqual([0, ''])
    const main = check()
    expect([main.status, main.stderr]).toEqual([0, ''])
  })
})
