/** The fleet view in a real browser with 500 boards the console knows (records on disk, as a previous session left them). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium, screenshotPath } from '../helpers/browser'
import { serve } from '../helpers/cli'

const dataDir = mkdtempSync(join(tmpdir(), 'diredi-e2e-fleet-'))
let server: Awaited<ReturnType<typeof serve>>
let browser: Browser

beforeAll(async () => {
  const dir = join(dataDir, 'fleet', 'boards')
  mkdirSync(dir, { recursive: true })
  for (let i = 0; i < 500; i++) {
    const id = `VB-${String(i).padStart(4, '0')}`
    const rec = { id, name: id, labels: i % 10 === 0 ? ['canary'] : [], group: i < 250 ? 'lab' : 'field', boardClass: 'virtual-m4', firmware: '1.0.0', protocolVersion: 1, port: `/dev/pts/${i}`, online: true, firstSeen: '2026-11-01T00:00:00Z', lastSeen: '2026-11-28T00:00:00Z', info: {} }
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(rec))
  }
  server = await serve(['--data-dir', dataDir])
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('fleet view', () => {
  it('lists 500 boards while rendering only the rows in view, filters, and opens a board to label it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(server.url)
    await page.getByTestId('nav-fleet').click()
    await page.getByTestId('fleet-count').waitFor()
    await expect.poll(() => page.getByTestId('fleet-count').textContent()).toBe('500 of 500 boards, 0 online')
    expect(await page.locator('[role=row].vrow').count()).toBeLessThan(40)
    await page.screenshot({ path: screenshotPath('fleet.png') })

    await page.getByTestId('fleet-filter').fill('canary')
    await expect.poll(() => page.getByTestId('fleet-count').textContent()).toMatch(/^50 of 500/)
    await page.getByTestId('fleet-filter').fill('')
    await page.getByTestId('fleet-group').selectOption('field')
    await expect.poll(() => page.getByTestId('fleet-count').textContent()).toMatch(/^250 of 500/)

    // keyboard: focus the list, go to the end, open the last board
    await page.getByTestId('fleet-list').focus()
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    await page.getByTestId('board-name').waitFor()
    expect(page.url()).toContain('/fleet/VB-0499')
    await page.getByTestId('board-name').fill('far corner')
    await page.getByTestId('board-labels').fill('slow, dusty')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText('name far corner, group field, labels [slow, dusty]').waitFor()
    await page.screenshot({ path: screenshotPath('board.png') })
    await page.close()
  })
})
