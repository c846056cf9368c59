import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { launchChromium } from './browser'
import { serve } from './cli'

export interface ServedConsole {
  dataDir: string
  server: Awaited<ReturnType<typeof serve>>
  browser: Browser
}

/**
 * For one browser test file: a fresh data directory, `diredi serve` on it and a Chromium, started before
 * the file's tests (after `prepare` has filled the directory) and stopped after them; the console must
 * exit 0.
 */
export function servedConsole(name: string, prepare?: (dataDir: string) => Promise<void>): ServedConsole {
  const c = { dataDir: mkdtempSync(join(tmpdir(), `diredi-e2e-${name}-`)) } as ServedConsole
  beforeAll(async () => {
    await prepare?.(c.dataDir)
    c.server = await serve(['--data-dir', c.dataDir])
    c.browser = await launchChromium()
  })
  afterAll(async () => {
    await c.browser?.close()
    expect(await c.server?.stop()).toBe(0)
  })
  return c
}
