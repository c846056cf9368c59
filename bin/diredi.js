#!/usr/bin/env node
// The `diredi` command. Runs the build in out/main; from a fresh checkout that has not been built yet
// it builds first (npm ci runs the build too, through the prepare script).
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  process.stderr.write('diredi: the console is not built yet; building it now (npm run build)\n')
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
await import(pathToFileURL(cli).href)
