import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ENTRIES, type EntryName } from './entry-list'

/** The package root (the folder holding this project's package.json), found from this module's location. */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pj = join(dir, 'package.json')
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'diredi-console') return dir
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find the diredi-console package root above ' + fileURLToPath(import.meta.url))
    dir = up
  }
})()

/** True when this code runs from TypeScript sources (vitest, tsx) rather than the build in out/. */
export const runningFromSource = fileURLToPath(import.meta.url).endsWith('.ts')

export interface EntryPoint {
  /** Absolute path of the script to run (a .js in out/main, or the .ts source). */
  file: string
  /** Node flags needed to run it (the tsx loader for sources). */
  execArgv: string[]
}

/**
 * Where to start a worker thread: `new Worker(w.url, { execArgv: w.execArgv })`. Built code starts the
 * built entry. From source, a worker cannot take tsx through `--import` (Node 20 does not apply
 * --import hooks to a worker's own entry), so the worker starts from a one-line bootstrap that
 * registers tsx inside the worker and then imports the .ts entry.
 */
export function workerEntry(name: EntryName): { url: URL; execArgv: string[] } {
  const ep = entryPoint(name)
  if (!ep.file.endsWith('.ts')) return { url: pathToFileURL(ep.file), execArgv: ep.execArgv }
  const api = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href
  const boot = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(pathToFileURL(ep.file).href)})`
  return { url: new URL('data:text/javascript,' + encodeURIComponent(boot)), execArgv: [] }
}

/**
 * Where to start a worker thread or child process. Built code starts built entries; code running from
 * source starts the sources under tsx, so tests exercise the same worker code without a build.
 */
export function entryPoint(name: EntryName): EntryPoint {
  if (!runningFromSource) {
    const built = join(packageRoot, 'out', 'main', `${name}.js`)
    if (existsSync(built)) return { file: built, execArgv: [] }
  }
  const loader = join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')
  if (!existsSync(loader)) {
    throw new Error(`cannot start "${name}": out/main/${name}.js is missing and tsx is not installed; run \`npm run build\``)
  }
  return { file: join(packageRoot, ENTRIES[name]), execArgv: ['--import', pathToFileURL(loader).href] }
}
