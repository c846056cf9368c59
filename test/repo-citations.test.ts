import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * The repository explains its own method (docs/method.md): nothing in it may cite the method document
 * that lives outside it, nor the shared folder beside the repository (`../shared`, where the team keeps
 * its own documents). A `../shared` path is resolved from the citing file's folder: in code, imports of
 * src/shared stay inside, and only the outside folder's docs are refused (test fixtures may plant
 * imports of any path); in Markdown, any `../shared` that leaves the repository is refused.
 */
const OUTSIDE_DOC = new RegExp(['DIREDI', '\\.md'].join(''), 'g')
const SHARED = /(?:\.\.\/)+shared(?:\/[\w.-]+)*/g
const TEXT = /\.(ts|mts|mjs|js|vue|md|json|html|css)$/

function files(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...files(p))
    else if (TEXT.test(e.name)) out.push(p)
  }
  return out
}

/** Every citation under `root`'s `dirs` (and its README.md) of a file outside `root`, as `path:line: text`. */
function outsideCitations(root: string, dirs: string[]): string[] {
  const found: string[] = []
  const all = [...dirs.flatMap((d) => files(join(root, d))), join(root, 'README.md')]
  for (const f of all) {
    let text: string
    try {
      text = readFileSync(f, 'utf8')
    } catch {
      continue
    }
    text.split('\n').forEach((line, i) => {
      const at = `${relative(root, f)}:${i + 1}`
      for (const m of line.matchAll(OUTSIDE_DOC)) found.push(`${at}: ${m[0]}`)
      for (const m of line.matchAll(SHARED)) {
        const target = resolve(dirname(f), m[0])
        const outside = target !== root && !target.startsWith(root + sep)
        if (outside && (f.endsWith('.md') || /shared\/docs\b/.test(m[0]))) found.push(`${at}: ${m[0]}`)
      }
    })
  }
  return found
}

const root = resolve(import.meta.dirname, '..')
const DIRS = ['src', 'test', 'docs', 'scripts', 'bench']

describe('the repository cites only itself', () => {
  const planted = mkdtempSync(join(tmpdir(), 'citations-'))
  afterAll(() => rmSync(planted, { recursive: true, force: true }))

  it('finds a planted citation of the outside method document and of a path out of the repository', () => {
    mkdirSync(join(planted, 'src', 'main'), { recursive: true })
    mkdirSync(join(planted, 'docs'))
    writeFileSync(join(planted, 'src', 'main', 'a.ts'), `import { x } from '../../shared/api/x'\n/** ${['DIREDI', 'md'].join('.')} step 3, see ${['..', '..', '..', 'shared', 'docs'].join('/')} */\n`)
    writeFileSync(join(planted, 'docs', 'b.md'), `See [the method](${['..', '..', 'shared', 'docs', 'x.md'].join('/')}) and [ours](method.md).\n`)
    writeFileSync(join(planted, 'README.md'), `The method: ${['..', 'shared', 'docs'].join('/')}\n`)
    expect(outsideCitations(planted, ['src', 'docs'])).toEqual([
      `${join('src', 'main', 'a.ts')}:2: ${['DIREDI', 'md'].join('.')}`,
      `${join('src', 'main', 'a.ts')}:2: ${['..', '..', '..', 'shared', 'docs'].join('/')}`,
      `${join('docs', 'b.md')}:1: ${['..', '..', 'shared', 'docs', 'x.md'].join('/')}`,
      `README.md:1: ${['..', 'shared', 'docs'].join('/')}`
    ])
  })

  it('finds none in this repository (cite docs/method.md sections instead)', () => {
    expect(outsideCitations(root, DIRS)).toEqual([])
  })
})
