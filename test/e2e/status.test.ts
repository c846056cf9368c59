/** The whole path in a real browser: `diredi serve`, Debian's Chromium, the status screen, live data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium, screenshotPath } from '../helpers/browser'
import { diredi, serve } from '../helpers/cli'

const dataDir = mkdtempSync(join(tmpdir(), 'diredi-e2e-'))
let server: Awaited<ReturnType<typeof serve>>
let browser: Browser

beforeAll(async () => {
  server = await serve(['--data-dir', dataDir])
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  expect(await server?.stop()).toBe(0)
})

describe('status screen', () => {
  it('shows version, live backend, data directory and an open connection', async () => {
    const info = JSON.parse(diredi(['--json', 'info', '--data-dir', dataDir]).stdout) as { backend: { name: string }; version: string }
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(server.url)
    await page.getByTestId('backend').waitFor()
    expect(await page.getByTestId('backend').textContent()).toContain(info.backend.name)
    expect(await page.getByTestId('version').textContent()).toBe(info.version)
    expect(await page.getByTestId('data-dir').textContent()).toBe(dataDir)
    expect(await page.getByTestId('connection').textContent()).toContain('open via websocket')
    // the token left the address bar once used
    expect(page.url()).not.toContain('token=')
    await page.screenshot({ path: screenshotPath('status.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('navigates by keyboard to the jobs page and switches theme', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(server.url)
    await page.getByTestId('backend').waitFor()
    await page.getByTestId('nav-jobs').focus()
    await page.keyboard.press('Enter')
    await page.getByText('No jobs yet').waitFor()
    await page.getByTestId('theme-toggle').click() // system -> light
    await page.getByTestId('theme-toggle').click() // light -> dark
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark')
    await page.screenshot({ path: screenshotPath('jobs-dark.png') })
    await page.close()
  })

  it('refuses a page opened without the session token', async () => {
    const page = await browser.newPage()
    await page.goto(`http://127.0.0.1:${server.port}/`)
    await page.getByTestId('connection').waitFor()
    await page.waitForTimeout(500)
    expect(await page.getByTestId('connection').textContent()).not.toContain('open')
    expect(await page.getByTestId('backend').count()).toBe(0)
    expect(await page.getByTestId('problem').textContent()).toMatch(/no session token.*diredi serve/)
    await page.close()
  })
})
