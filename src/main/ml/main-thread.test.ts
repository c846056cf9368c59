import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { packageRoot } from '../core/entries'

describe('the console’s main thread', () => {
  it('never loads tfjs: the app builds without it, training and inference live in the ml workers', () => {
    const loader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
    const app = pathToFileURL(join(packageRoot, 'src/main/app/app.ts')).href
    const script = `import { createRequire } from 'node:module'
await import(${JSON.stringify(app)})
const cache = Object.keys(createRequire(import.meta.url).cache)
process.stdout.write(JSON.stringify(cache.filter((k) => k.includes('@tensorflow'))))`
    const out = execFileSync(process.execPath, ['--import', loader, '--input-type=module', '-e', script], { encoding: 'utf8', cwd: packageRoot })
    expect(JSON.parse(out)).toEqual([])
  })
})
