/**
 * `ui.fleet_500`: the fleet view in Debian's Chromium with 500 in-process boards online over the real
 * protocol (sessions, HELLO, discovery), served by the web host: frame times while scrolling the list,
 * and the latency from typing a filter to the filtered count on screen. Skipped (with a note) where
 * Chromium is not installed or the renderer is not built.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { createApp } from '../src/main/app/app'
import { packageRoot } from '../src/main/core/entries'
import { InProcessBoards } from '../src/main/emulator/inprocess'
import { int8Runtime } from '../src/main/emulator/int8-runtime'
import { startWebHost } from '../src/main/hosts/web/server'
import type { Report } from './run'

const N = 500
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// Runs in the page: scrolls the list one step per frame and returns the frame intervals in ms.
const SCROLL = `new Promise((resolve) => {
  const el = document.querySelector('[data-testid=fleet-list]')
  const times = []
  let last = performance.now(), n = 0
  const step = (t) => {
    times.push(t - last); last = t
    el.scrollTop += 97
    if (++n < 240) requestAnimationFrame(step); else resolve(times.slice(2))
  }
  requestAnimationFrame(step)
})`

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]

export async function run(report: Report): Promise<void> {
  const rendererDir = join(packageRoot, 'out', 'renderer')
  if (!existsSync(CHROMIUM) || !existsSync(join(rendererDir, 'index.html'))) {
    report({ bench: 'ui.fleet_500', skipped: `needs ${CHROMIUM} and a built renderer (npm run build)` })
    return
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'diredi-bench-ui-'))
  const boards = new InProcessBoards(int8Runtime)
  for (let i = 0; i < N; i++) boards.add({ config: { pace: false } })
  const app = await createApp({ dataDir, host: 'web', portOpener: boards.opener, fleet: { autostart: true, discovery: { pollMs: 200, watch: false } } })
  const host = await startWebHost(app, { port: 0, rendererDir })
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    const t0 = performance.now()
    for (const b of boards.boards) await app.router.invoke('fleet.addPort', { path: b.path })
    while (app.services.directory.list().filter((b) => b.online).length < N) await new Promise((r) => setTimeout(r, 100))
    const onlineMs = performance.now() - t0

    // bypassCSP: the page's CSP forbids eval, which Playwright's string probes need; the app itself is unchanged
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true })).newPage()
    await page.goto(host.url)
    await page.getByTestId('nav-fleet').click()
    await page.waitForFunction(`document.querySelector('[data-testid=fleet-count]')?.textContent === '${N} of ${N} boards, ${N} online'`)
    const frames = (await page.evaluate(SCROLL)) as number[]
    const rows = await page.locator('[role=row].vrow').count()

    const latencies: number[] = []
    for (const q of ['vb-000', 'vb-01', 'vb-0042', '']) {
      const t = performance.now()
      await page.getByTestId('fleet-filter').fill(q)
      const want = q ? 'of 500 boards' : `${N} of ${N} boards`
      await page.waitForFunction(`(() => { const t = document.querySelector('[data-testid=fleet-count]')?.textContent ?? ''; return t.includes('${want}') && ${q ? `!t.startsWith('${N} of')` : 'true'} })()`)
      latencies.push(performance.now() - t)
    }
    report({
      bench: 'ui.fleet_500',
      boards: N,
      boardsOnlineMs: Math.round(onlineMs),
      renderedRows: rows,
      scrollFrames: frames.length,
      frameMsP50: +pct(frames, 50).toFixed(1),
      frameMsP95: +pct(frames, 95).toFixed(1),
      frameMsMax: +Math.max(...frames).toFixed(1),
      filterLatencyMsMax: Math.round(Math.max(...latencies)),
      filterLatencyMsMean: Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length)
    })
  } finally {
    await browser.close()
    await host.close()
    await app.dispose()
    await boards.dispose()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
