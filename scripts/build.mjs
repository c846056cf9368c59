#!/usr/bin/env node
// Builds main (Node: CLI, web host, Electron host, workers), preload and renderer with electron-vite.
// `--if-stale` skips the build when out/ is newer than every source file (used by `prepare` and `start`).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const stamp = join(root, 'out', '.build-stamp')

function newest(dir) {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const inputs = Math.max(newest(join(root, 'src')), statSync(join(root, 'electron.vite.config.ts')).mtimeMs, statSync(join(root, 'package.json')).mtimeMs)
  if (statSync(stamp).mtimeMs >= inputs) process.exit(0)
}

const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
const r = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
if (r.status !== 0) {
  console.error('build failed: see the errors above; fix them and run `npm run build` again')
  process.exit(r.status ?? 1)
}
const { writeFileSync } = await import('node:fs')
writeFileSync(stamp, new Date().toISOString() + '\n')
