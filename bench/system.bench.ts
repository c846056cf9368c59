import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/main/app/app'
import type { Report } from './run'

/** Round trips through the router in-process: the floor under every API call. */
export async function run(report: Report): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'diredi-bench-'))
  const app = await createApp({ dataDir, host: 'cli' })
  try {
    const n = 20_000
    for (let i = 0; i < 1000; i++) await app.router.call('system.ping', {}, { via: 'test' })
    const t0 = performance.now()
    for (let i = 0; i < n; i++) await app.router.call('system.ping', {}, { via: 'test' })
    const ms = performance.now() - t0
    report({ bench: 'api.router_call', calls: n, callsPerSecond: Math.round((n / ms) * 1000), usPerCall: +((ms * 1000) / n).toFixed(2) })
  } finally {
    await app.dispose()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
