/**
 * The DiReDi area in a real browser against `diredi serve`: rounds, their boards, knowledge inbox and
 * privacy ledger, the QA report with its HTML download, the experiment table and chart, the demo
 * control, and teacher restore. The data dir is seeded with reports in the console's own shapes (QA by
 * its own gate) and teachers in its registry (test/helpers/diredi-seed.ts).
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { screenshotPath } from '../helpers/browser'
import { servedConsole } from '../helpers/console-page'
import { seedDiredi } from '../helpers/diredi-seed'
import { qaReportHtml } from '../../src/main/diredi/qa-html'

let seeded: Awaited<ReturnType<typeof seedDiredi>>
const c = servedConsole('diredi', async (dir) => {
  seeded = await seedDiredi(dir)
})
const dataDir = c.dataDir

/** No layout break: nothing wider than the window (evaluated in the page; this file has no DOM types). */
const noHorizontalScroll = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')

async function open(): Promise<{ page: Page; errors: string[] }> {
  const page = await c.browser.newPage({ viewport: { width: 1280, height: 720 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto(c.server.url)
  return { page, errors }
}

describe('DiReDi area', () => {
  it('shows rounds with boards, knowledge inbox and privacy ledger, and the QA report that downloads as HTML', async () => {
    const { page, errors } = await open()
    // the demo control on the status page offers the library's scenario
    const demo = page.getByTestId('status-demo')
    await demo.getByTestId('round-scenario').locator('option', { hasText: 'prior-3' }).waitFor({ state: 'attached' })
    // the data dir's scenario is listed first; the demo starts on the shipped one made for demonstrations
    expect(await demo.getByTestId('round-scenario').locator('option').first().textContent()).toBe('prior-3 (mnist, 3 boards, prior)')
    await expect.poll(() => demo.getByTestId('round-scenario').inputValue()).toBe('demo-tiny')
    expect(await demo.getByTestId('round-start').isEnabled()).toBe(true)
    await page.screenshot({ path: screenshotPath('status-demo.png'), fullPage: true })

    await page.getByTestId('nav-diredi').click()
    const rows = page.getByTestId('rounds-table').locator('tbody tr')
    await rows.first().waitFor()
    expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-round')))).toEqual(['round-0002', 'round-0001'])
    expect(await rows.first().textContent()).toMatch(/rolled-out.*2 accepted, 1 rejected.*passed/)
    expect(await rows.nth(1).textContent()).toMatch(/qa-failed.*failed/)
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.screenshot({ path: screenshotPath('diredi-rounds.png'), fullPage: true })

    // a round's report, reached by keyboard
    await page.getByRole('link', { name: 'round-0002' }).focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('round-boards').waitFor()
    expect(await page.getByTestId('round-summary').textContent()).toBe(seeded.passed.summary)
    expect(await page.getByTestId('round-boards').locator('tbody tr').count()).toBe(3)
    expect(await page.locator('[data-testid=round-boards] [data-board=b3]').textContent()).toContain('did not answer within 10 s')
    const inbox = page.getByTestId('inbox').locator('tbody tr')
    expect(await inbox.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-accepted')))).toEqual(['true', 'true', 'false'])
    expect(await inbox.nth(2).textContent()).toContain('NONCE_REPLAYED this nonce was seen before')
    expect(await inbox.first().textContent()).toMatch(/0\.8123.*600.*81\.0% → 93\.0%/)
    expect(await page.getByTestId('raw-samples').textContent()).toBe('0 raw samples uploaded')
    expect(await page.getByTestId('ledger-knowledge').textContent()).toBe('5.4 KB')
    expect(await page.getByTestId('ledger-private').textContent()).toMatch(/^1\.50 MB \(knowledge is 0\.35% of it\)$/)
    expect(await page.getByTestId('ledger').locator('thead th').allTextContents()).toEqual(['Board', 'Raw samples', 'Knowledge', 'Private data', 'HELLO', 'KNOWLEDGE', 'STATUS'])
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.screenshot({ path: screenshotPath('diredi-round.png'), fullPage: true })

    // its QA report: verdict, checks measured against limits, per-class charts, boards
    await page.getByTestId('tab-qa').click()
    await page.getByTestId('qa-verdict').waitFor()
    const qa = seeded.passed.qa!
    expect(await page.getByTestId('qa-verdict').textContent()).toMatch(/^PASSED/)
    expect(await page.getByTestId('qa-checks').locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-check')))).toEqual(qa.checks.map((c) => c.id))
    expect(await page.locator('[data-check=int8_agreement]').textContent()).toContain('99.40%≥ 99.00%')
    expect(await page.getByTestId('qa-max-drop').textContent()).toContain(`${qa.maxClassDropPts.toFixed(2)} pts`)
    await page.getByTestId('qa-student-chart').locator('canvas').first().waitFor()
    expect(await page.getByTestId('qa-teacher-chart').locator('[role=img]').getAttribute('aria-label')).toMatch(/^teacher accuracy per class on V_p, before → after: 0 96\.0% → 96\.0%, 1 98\.0% → 98\.0%, 2 94\.0% → 96\.0%/)
    expect(await page.getByTestId('qa-boards').locator('tbody tr').allTextContents()).toEqual(['b181.0%90.0%+9.0 pts', 'b277.0%85.0%+8.0 pts'])
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.screenshot({ path: screenshotPath('diredi-qa.png'), fullPage: true })

    // the standalone HTML, exactly what the console renders for this report
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('qa-download').click()])
    expect(download.suggestedFilename()).toBe('qa-round-0002.html')
    const saved = await download.path()
    expect(readFileSync(saved, 'utf8')).toBe(qaReportHtml(qa))

    // the failed round's QA says why, in dark theme
    await page.goto(`${c.server.url.split('#')[0]}#/diredi/rounds/round-0001/qa`)
    await page.getByTestId('qa-verdict').waitFor()
    expect(await page.getByTestId('qa-verdict').textContent()).toMatch(/^FAILED.*int8 artifact agrees with the float student on V_p: 96\.2% agreement/)
    expect(await page.locator('[data-check=int8_agreement] td').nth(1).textContent()).toBe('✗ fail')
    await page.getByTestId('theme-toggle').click()
    await page.getByTestId('theme-toggle').click()
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark')
    await page.getByTestId('qa-student-chart').locator('canvas').first().waitFor()
    await page.screenshot({ path: screenshotPath('diredi-qa-failed-dark.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows an experiment: method table, yardstick, chart drawn here and as exported', async () => {
    const { page, errors } = await open()
    await page.getByTestId('nav-diredi').click()
    await page.getByTestId('tab-experiments').click()
    await page.getByTestId('experiments-table').waitFor()
    // The scenario list loads on its own request: wait for it rather than read the select too early.
    await page.getByTestId('experiment-scenario').locator('option', { hasText: 'prior-3' }).waitFor({ state: 'attached' })
    await expect.poll(() => page.getByTestId('experiment-scenario').inputValue()).toBe('prior-3')
    expect(await page.getByTestId('experiments-table').locator('tbody tr').first().textContent()).toContain('met (85% of the best reference gain)')
    await page.screenshot({ path: screenshotPath('diredi-experiments.png'), fullPage: true })
    await page.getByRole('link', { name: 'exp-prior-3-0001' }).click()
    const table = page.getByTestId('method-table')
    await table.waitFor()
    expect(await table.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-method')))).toEqual(['none', 'local', 'delta-avg', 'oracle', 'diredi', 'diredi-tutor'])
    expect(await table.locator('[data-method=oracle] td').nth(3).textContent()).toBe('1,800')
    expect(await table.locator('[data-method=diredi] td').allTextContents()).toEqual(['90.00%', '91.00%', '1.20 pts', '0', '5.4 KB', '40s', 'passed', ''])
    expect(await page.getByTestId('yardstick').textContent()).toMatch(/Yardstick met:.*\+11\.0 pts, 85% of the larger of oracle's \(\+13\.0 pts\) and local's \(\+11\.0 pts\)/)
    await page.getByTestId('experiment-charts').locator('canvas').first().waitFor()
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.screenshot({ path: screenshotPath('diredi-experiment.png'), fullPage: true })
    await page.getByTestId('chart-svg').click()
    const img = page.getByTestId('experiment-svg')
    await img.waitFor()
    // the image decoded: the console's SVG is a picture the browser could draw
    expect(await img.evaluate(async (el) => {
      const i = el as unknown as { decode(): Promise<void>; naturalWidth: number }
      await i.decode()
      return i.naturalWidth
    })).toBe(760)
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.screenshot({ path: screenshotPath('diredi-experiment-svg.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('restores an earlier teacher version from the Models page, and the console keeps it current', async () => {
    const { t1, t2, t3 } = seeded.teachers
    const { page, errors } = await open()
    await page.getByTestId('nav-models').click()
    await page.getByTestId('tab-teachers').click()
    const line = page.getByTestId('teacher-line')
    await line.locator('[data-testid=current]').waitFor()
    const current = () => line.locator('tbody tr').evaluateAll((rs) => rs.filter((r) => r.querySelector('[data-testid=current]')).map((r) => r.getAttribute('data-model')))
    expect(await current()).toEqual([t3.id])
    expect(await line.locator(`[data-model="${t3.id}"] td`).nth(1).textContent()).toBe('v2')
    const restore = line.locator(`[data-model="${t1.id}"] [data-testid=restore]`)
    expect(await restore.getAttribute('aria-label')).toBe('Restore teacher-mnist (v1) as the current teacher')
    await restore.focus()
    await page.keyboard.press('Enter')
    await line.locator(`[data-model="${t1.id}"] [data-testid=current]`).waitFor()
    expect(await current()).toEqual([t1.id])
    expect(JSON.parse(readFileSync(join(dataDir, 'diredi', 'teachers.json'), 'utf8'))).toEqual({ [t1.id]: t1.id })
    expect(await line.locator(`[data-model="${t2.id}"] [data-testid=restore]`).count()).toBe(1)
    await page.screenshot({ path: screenshotPath('models-teacher-restore.png'), fullPage: true })
    // a reload reads it back from the console
    await page.reload()
    await line.locator(`[data-model="${t1.id}"] [data-testid=current]`).waitFor()
    expect(await current()).toEqual([t1.id])
    expect(await noHorizontalScroll(page)).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  })
})
