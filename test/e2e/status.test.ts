/** The whole path in a real browser: `diredi serve`, Debian's Chromium, the status screen, live data. */
import { describe, expect, it } from 'vitest'
import { screenshotPath } from '../helpers/browser'
import { servedConsole } from '../helpers/console-page'
import { diredi } from '../helpers/cli'

const c = servedConsole('status')
const dataDir = c.dataDir

describe('status screen', () => {
  it('shows version, live backend, data directory and an open connection', async () => {
    const info = JSON.parse(diredi(['--json', 'info', '--data-dir', dataDir]).stdout) as { backend: { name: string }; version: string }
    const page = await c.browser.newPage({ viewport: { width: 1280, height: 720 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(c.server.url)
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
    const page = await c.browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(c.server.url)
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
    const page = await c.browser.newPage()
    await page.goto(`http://127.0.0.1:${c.server.port}/`)
    await page.getByTestId('connection').waitFor()
    await page.waitForTimeout(500)
    expect(await page.getByTestId('connection').textContent()).not.toContain('open')
    expect(await page.getByTestId('backend').count()).toBe(0)
    expect(await page.getByTestId('problem').textContent()).toMatch(/no session token.*diredi serve/)
    await page.close()
  })
})
