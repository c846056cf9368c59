import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { packageRoot } from '../src/main/core/entries'

const run = promisify(execFile)
const root = mkdtempSync(join(tmpdir(), 'diredi-cli-data-'))
const dataDir = join(root, 'data')
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Runs `diredi --data-dir <tmp> ...args` from source; resolves exit code, stdout, stderr. */
async function diredi(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const loader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  try {
    const r = await run(process.execPath, ['--import', loader, join(packageRoot, 'src/main/cli/main.ts'), '--data-dir', dataDir, ...args], { cwd: root })
    return { code: 0, out: r.stdout, err: r.stderr }
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string }
    return { code: x.code, out: x.stdout, err: x.stderr }
  }
}

describe('diredi dataset (CLI, clean data dir)', () => {
  it('imports the built-in digits, exports them as IDX and imports those back to the same hash', async () => {
    const b = await diredi('--json', 'dataset', 'import', '--builtin', 'mnist')
    expect(b.code).toBe(0)
    const builtin = JSON.parse(b.out) as { created: boolean; record: { id: string; hash: string; splits: unknown; inputShape: number[] } }
    expect(builtin).toMatchObject({ created: true, record: { splits: { train: 8000, test: 2000 }, inputShape: [28, 28, 1] } })

    const ex = await diredi('dataset', 'export', 'mnist', '--format', 'idx', '--out', 'idx', '--gzip')
    expect(ex.code).toBe(0)
    expect(readdirSync(join(root, 'idx')).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'])

    const files = readdirSync(join(root, 'idx')).map((f) => join('idx', f))
    const im = await diredi('--json', 'dataset', 'import', ...files, '--format', 'idx', '--name', 'digits')
    const back = JSON.parse(im.out) as { created: boolean; record: { hash: string; aliases: string[] } }
    expect(back).toMatchObject({ created: false, record: { hash: builtin.record.hash, aliases: ['digits'] } })

    const human = await diredi('dataset', 'show', 'digits', '--verify')
    expect(human.out).toMatch(/name {6}mnist {2}\(ds-[0-9a-f]{12}, builtin\)[\s\S]*verify {4}the stored files match the hash/)

    const list = JSON.parse((await diredi('--json', 'dataset', 'list')).out) as { datasets: Array<{ id: string }> }
    expect(list.datasets.map((d) => d.id)).toEqual([builtin.record.id])
  })

  it('prints a bad file as one coded error, and removes datasets', async () => {
    writeFileSync(join(root, 'bad.csv'), 'y,a,b\n1,2,3\n0,1\n')
    const bad = await diredi('--json', 'dataset', 'import', 'bad.csv', '--format', 'csv', '--name', 'bad')
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, error: { code: 'DATASET_INVALID', details: { file: join(root, 'bad.csv'), position: 'line 3' } } })
    const human = await diredi('dataset', 'import', 'bad.csv', '--format', 'csv', '--name', 'bad')
    expect(human.err).toMatch(/^diredi: .*bad\.csv \(line 3\): expected 3 fields, as in the first line, but found 2; .* \[DATASET_INVALID\]\n$/)
    writeFileSync(join(root, 'ok.csv'), 'y,a,b\n1,2,3\n0,1,2\n')
    expect((await diredi('dataset', 'import', 'ok.csv', '--format', 'csv', '--name', 'ok', '--test-fraction', '0')).code).toBe(0)
    expect((await diredi('dataset', 'rm', 'ok')).out).toMatch(/^removed ok \(ds-[0-9a-f]{12}\)/)
    expect((await diredi('dataset', 'import', '--format', 'idx')).code).toBe(2)
    expect(JSON.parse((await diredi('--json', 'models', '--kind', 'student')).out)).toEqual({ models: [] })
  })
})
