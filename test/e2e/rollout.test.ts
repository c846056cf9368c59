/**
 * Rollouts, ports and the serial monitor in a real browser: `diredi serve` over two `diredi emulate`
 * boards on real pseudo-terminals, grouped on their board pages, then an artifact rolled out from the form.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { openRegistry } from '../../src/main/store/registry'
import { launchChromium, screenshotPath } from '../helpers/browser'
import { serve } from '../helpers/cli'
import { artifactBytes, specModel } from '../helpers/fleet'

const dataDir = mkdtempSync(join(tmpdir(), 'diredi-e2e-rollout-'))
const BIN = join(process.cwd(), 'bin', 'diredi.js')
let emulate: ChildProcess
let server: Awaited<ReturnType<typeof serve>>
let browser: Browser
let artifactId = ''
let secondArtifactId = ''

beforeAll(async () => {
  const reg = await openRegistry(dataDir)
  const model = await reg.models.put('student', specModel, { name: 'e2e-rollout', lineage: {} })
  artifactId = (await reg.artifacts.put(artifactBytes(7), { modelId: model.id, formatVersion: 1 })).id
  secondArtifactId = (await reg.artifacts.put(artifactBytes(8), { modelId: model.id, formatVersion: 1 })).id
  emulate = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'emulate', '--boards', '2', '--baud', '921600'], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let lines = 0
    emulate.stdout?.on('data', (b: Buffer) => {
      lines += String(b).split('\n').length - 1
      if (lines >= 2) resolve()
    })
    emulate.once('exit', (code) => reject(new Error(`emulate exited early (${code})`)))
  })
  server = await serve(['--data-dir', dataDir])
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (emulate && emulate.exitCode === null) {
    const exited = new Promise((r) => emulate.once('exit', r))
    emulate.kill('SIGTERM')
    await exited
  }
  rmSync(dataDir, { recursive: true, force: true })
})

async function putInGroup(page: Page, boardId: string, group: string) {
  await page.getByTestId('nav-fleet').click()
  await page.getByTestId('fleet-list').getByRole('link', { name: boardId, exact: true }).click()
  await page.getByTestId('board-group').fill(group)
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await page.getByTestId('board-history').getByText(`group ${group}`).first().waitFor()
}

describe('rollouts page', () => {
  it('shows the ports, groups two boards, rolls an artifact out from the form to success, and follows the flashes live in the serial monitor (filter, save, pause)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' })
    page.setDefaultTimeout(20_000)
    page.on('pageerror', (e) => console.error('page error:', e.message))
    await page.goto(server.url)
    await page.getByTestId('nav-fleet').click()
    await expect.poll(() => page.getByTestId('fleet-count').textContent(), { timeout: 30_000 }).toBe('2 of 2 boards, 2 online')
    // the emulator's two ports, open, each owned by its board (OS ports of this machine may be listed too)
    const emulated = page.getByTestId('ports-table').locator('tbody tr', { hasText: 'emulator' })
    await expect.poll(() => emulated.count()).toBe(2)
    await expect.poll(() => emulated.allTextContents()).toEqual([expect.stringMatching(/emulator\s*open.*vb-000\d/), expect.stringMatching(/emulator\s*open.*vb-000\d/)])
    await page.screenshot({ path: screenshotPath('fleet-ports.png'), fullPage: true })

    await putInGroup(page, 'vb-0000', 'lab')
    await putInGroup(page, 'vb-0001', 'lab')

    await page.getByTestId('nav-rollouts').click()
    await page.getByTestId('rollouts-empty').waitFor()
    await page.getByTestId('rollout-artifact').selectOption(artifactId)
    await page.getByTestId('rollout-group').selectOption('lab')
    await page.getByTestId('rollout-concurrency').fill('2')
    await page.getByTestId('rollout-start').click()
    await expect.poll(() => page.getByTestId('rollout-detail-state').textContent(), { timeout: 40_000 }).toBe('succeeded')
    expect(await page.getByTestId('rollout-counts').textContent()).toMatch(/^2 succeeded, 0 failed, 0 flashing, 0 pending, 0 skipped of 2/)
    expect(await page.getByTestId('rollout-boards').locator('[role=row]').count()).toBe(2)
    await page.screenshot({ path: screenshotPath('rollout.png'), fullPage: true })

    await page.getByRole('link', { name: '← Rollouts' }).click()
    await expect.poll(() => page.getByTestId('rollout-state').first().textContent()).toBe('succeeded')
    expect(await page.getByTestId('rollout-succeeded').first().textContent()).toBe('2')
    // a coded error from the console, shown by the form: concurrency out of range
    await page.getByTestId('rollout-concurrency').fill('0')
    await page.getByTestId('rollout-start').click()
    await expect.poll(() => page.getByTestId('rollout-error').textContent()).toMatch(/^INVALID_INPUT|^BAD_REQUEST/)
    await page.screenshot({ path: screenshotPath('rollouts.png'), fullPage: true })

    await page.getByTestId('nav-fleet').click()
    await page.getByTestId('fleet-list').getByRole('link', { name: 'vb-0000', exact: true }).click()
    await expect.poll(() => page.getByTestId('monitor-lines').textContent()).toMatch(/confirmed/)
    await page.getByTestId('monitor-filter').fill('verified')
    await page.getByTestId('monitor-filter').press('Enter')
    await expect.poll(() => page.getByTestId('monitor-lines').textContent()).not.toMatch(/confirmed/)
    const file = join(dataDir, 'vb-0000.log')
    await page.getByTestId('monitor-file').fill(file)
    await page.getByTestId('monitor-save').click()
    await expect.poll(() => page.getByTestId('monitor-saved').textContent()).toMatch(/^Saved 1 line to/)
    // the file holds what the filtered monitor showed: the one "verified" line of vb-0000
    expect(readFileSync(file, 'utf8')).toMatch(/^\S+ info {2}\[vb-0000@\S+\] .*slot a: verified \(\d+ bytes\)\n$/)
    await page.screenshot({ path: screenshotPath('monitor.png'), fullPage: true })

    // live: pause the monitor, roll the second artifact out from another window, see the lines held, resume
    await page.getByTestId('monitor-filter').fill('')
    await page.getByTestId('monitor-filter').press('Enter')
    await expect.poll(() => page.getByTestId('monitor-lines').textContent()).toMatch(/slot a: confirmed/)
    await page.getByTestId('monitor-pause').click()
    expect(await page.getByTestId('monitor-pause').getAttribute('aria-pressed')).toBe('true')
    const other = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' })
    other.setDefaultTimeout(20_000)
    await other.goto(server.url)
    await other.getByTestId('nav-rollouts').click()
    await other.getByTestId('rollout-artifact').selectOption(secondArtifactId)
    await other.getByTestId('rollout-group').selectOption('lab')
    await other.getByTestId('rollout-start').click()
    await expect.poll(() => other.getByTestId('rollout-detail-state').textContent(), { timeout: 40_000 }).toBe('succeeded')
    await other.close()
    await expect.poll(() => page.getByTestId('monitor-held').textContent()).toMatch(/^paused: [1-9]\d* new lines$/)
    expect(await page.getByTestId('monitor-lines').textContent()).not.toMatch(/slot b/)
    await page.getByTestId('monitor-pause').click()
    await expect.poll(() => page.getByTestId('monitor-lines').textContent()).toMatch(/slot b: confirmed/)
    await page.close()
  })
})
