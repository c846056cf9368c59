/**
 * The demo in a real browser against `diredi serve` on a fresh data dir: "Run a demo round" on the
 * status page, with the tiny shipped scenario, runs a real round on virtual boards (the round job),
 * follows it live, and lands on its QA report; the round's ledger shows 0 raw samples uploaded. The
 * experiment form runs every baseline on the same scenario and lands on the method table.
 */
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ExperimentReport, RoundReport } from '../../src/shared/api/diredi'
import { screenshotPath } from '../helpers/browser'
import { servedConsole } from '../helpers/console-page'

const c = servedConsole('demo')
const dataDir = c.dataDir

describe('demo round', () => {
  it('runs from the status page to its QA report', { timeout: 600_000 }, async () => {
    const page = await c.browser.newPage({ viewport: { width: 1280, height: 720 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(c.server.url)
    const demo = page.getByTestId('status-demo')
    await demo.getByTestId('round-scenario').locator('option[value=demo-tiny]').waitFor({ state: 'attached' })
    await expect.poll(() => demo.getByTestId('round-scenario').inputValue()).toBe('demo-tiny')
    await demo.getByTestId('round-start').click()

    // the page moves to the QA report of the round the job made (no timing asserted: a generous wait)
    await page.waitForURL(/#\/diredi\/rounds\/[^/]+\/qa$/, { timeout: 540_000 })
    const roundId = decodeURIComponent(/rounds\/([^/]+)\/qa$/.exec(page.url())?.[1] ?? '')
    const report = JSON.parse(readFileSync(join(dataDir, 'diredi', 'rounds', `${roundId}.json`), 'utf8')) as RoundReport
    expect(readdirSync(join(dataDir, 'diredi', 'rounds'))).toContain(`${roundId}.json`)
    expect(report.qa).not.toBeNull()
    await page.getByTestId('qa-verdict').waitFor()
    expect(await page.getByTestId('qa-verdict').textContent()).toMatch(report.qa?.passed ? /^PASSED/ : /^FAILED/)
    expect(await page.getByTestId('qa-checks').locator('tbody tr').count()).toBe(4)
    expect(await page.getByTestId('round-summary').textContent()).toBe(report.summary)
    await page.getByTestId('qa-student-chart').locator('canvas').first().waitFor()
    await page.screenshot({ path: screenshotPath('demo-round-qa.png'), fullPage: true })

    // the same round's boards, inbox and ledger
    await page.getByTestId('tab-report').click()
    await page.getByTestId('ledger').waitFor()
    expect(await page.getByTestId('raw-samples').textContent()).toBe('0 raw samples uploaded')
    expect(await page.getByTestId('round-boards').locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-board')))).toEqual(report.boards.map((b) => b.boardId))
    expect(await page.getByTestId('inbox').locator('tbody tr').count()).toBe(report.inbox.length)
    await page.screenshot({ path: screenshotPath('demo-round-report.png'), fullPage: true })

    // the job that ran it: succeeded, with its log and a link back to the round
    await page.getByRole('link', { name: 'job', exact: true }).click()
    await page.getByTestId('job-rounds').waitFor()
    expect(await page.getByTestId('job-rounds').textContent()).toContain(roundId)
    expect(await page.locator('.state').first().textContent()).toBe('succeeded')
    expect(await page.getByTestId('job-log').textContent()).toContain('round 1: ')
    await page.screenshot({ path: screenshotPath('demo-round-job.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('runs an experiment from its form to the method table', { timeout: 600_000 }, async () => {
    const page = await c.browser.newPage({ viewport: { width: 1280, height: 720 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(c.server.url)
    await page.getByTestId('nav-diredi').click()
    await page.getByTestId('tab-experiments').click()
    const form = page.getByTestId('experiment-form')
    await form.getByTestId('experiment-scenario').locator('option[value=demo-tiny]').waitFor({ state: 'attached' })
    await form.getByTestId('experiment-scenario').selectOption('demo-tiny')
    await form.getByTestId('experiment-start').click()
    await page.waitForURL(/#\/diredi\/experiments\/[^/]+$/, { timeout: 540_000 })
    const id = decodeURIComponent(/experiments\/([^/]+)$/.exec(page.url())?.[1] ?? '')
    const report = JSON.parse(readFileSync(join(dataDir, 'diredi', 'experiments', `${id}.json`), 'utf8')) as ExperimentReport
    const table = page.getByTestId('method-table')
    await table.waitFor()
    expect(await table.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-method')))).toEqual(report.table.map((r) => r.method))
    expect(await page.getByTestId('yardstick').textContent()).toMatch(report.yardstick.met ? /^Yardstick met/ : /^Yardstick not met/)
    await page.getByTestId('experiment-charts').locator('canvas').first().waitFor()
    await page.screenshot({ path: screenshotPath('demo-experiment.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })
})
