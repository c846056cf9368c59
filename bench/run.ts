/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and prints one JSON
 * object per measurement on stdout. Progress and notes go to stderr. Each bench module exports
 * `run(report)`, where `report(record)` prints `{ bench, ...figures }`.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export type Report = (record: { bench: string } & Record<string, unknown>) => void
export interface BenchModule {
  run(report: Report): Promise<void>
}

const here = dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort()

const report: Report = (r) => process.stdout.write(JSON.stringify({ ...r, at: new Date().toISOString() }) + '\n')
let failed = 0
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`)
  try {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as BenchModule
    await mod.run(report)
  } catch (e) {
    failed++
    report({ bench: f.replace(/\.bench\.ts$/, ''), error: e instanceof Error ? e.message : String(e) })
  }
}
process.exitCode = failed ? 1 : 0
