#!/usr/bin/env node
// `npm start`: the desktop app. Builds if needed, then runs Electron; where Electron's binary is not
// installed (its installer downloads it, which some machines cannot), says so in one line and serves the
// same console to a browser instead (`diredi serve`). Extra arguments go to `diredi serve`.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

/** The Electron executable if its installer put one in place (read without require('electron'), which tries to download it). */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron')
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim()
    const full = join(dir, 'dist', rel)
    return existsSync(full) ? full : null
  } catch {
    return null
  }
}

const bin = electronBinary()
const child = bin
  ? spawn(bin, [root], { cwd: root, stdio: 'inherit' })
  : (console.log("Electron's binary is not installed here; serving the console to a browser instead (diredi serve)."),
    spawn(process.execPath, [join(root, 'bin', 'diredi.js'), 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' }))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
