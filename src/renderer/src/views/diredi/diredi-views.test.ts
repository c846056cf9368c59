import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { fakeApi } from '../../testing/fake-api'
import { direDiJob, experimentReport, qaReport, roundReport, scenario, teacherLine } from '../../testing/diredi-records'
import { model } from '../../testing/records'
import { provideApi } from '../../stores/api'
import { routes } from '../../router'
import RunForm from './RunForm.vue'

// Canvas charts are ECharts' business; here we check what the views decide to show.
const stubs = { Echarts: true }

describe('DiReDi views', () => {
  let f: ReturnType<typeof fakeApi>
  let router: ReturnType<typeof createRouter>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
    router = createRouter({ history: createMemoryHistory(), routes })
  })
  afterEach(() => vi.restoreAllMocks())

  async function page(path: string) {
    await router.push(path)
    const w = mount({ template: '<RouterView />' }, { global: { plugins: [router], stubs } })
    await flushPromises()
    return w
  }

  it('a round page shows its boards, every inbox verdict with code and reason, and the ledger with 0 raw samples', async () => {
    f.stub('diredi.roundReport', (p) => ({ ok: true, value: roundReport(p.id) }))
    const w = await page('/diredi/rounds/r1')
    expect(w.get('#round-title').text()).toBe('Round 1 of prior-3')
    expect(w.get('[data-testid=outcome]').text()).toBe('rolled-out')
    expect(w.get('[data-testid=acc-user]').text()).toBe('65.0% → 90.0% (+25.0 pts)')
    const boards = w.get('[data-testid=round-boards]').findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()))
    expect(boards[0]).toEqual(['b1', 'head', '600 / 400', '70.0%', '93.0%', '90.0%', '1.4 KB', '—'])
    expect(boards[1].slice(4)).toEqual(['—', '—', '0 B', 'adaptation failed: out of memory'])
    const inbox = w.get('[data-testid=inbox]')
    expect(inbox.get('h3').text()).toContain('1 accepted, 1 rejected')
    const [ok, refused] = inbox.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()))
    expect(ok.slice(0, 6)).toEqual(['b1', '✓ accepted', '—', '0.4321', '600', '70.0% → 93.0%'])
    expect(refused.slice(0, 4)).toEqual(['b2', '✗ rejected', 'NONCE_REPLAYED nonce seen before', '—'])
    const ledger = w.get('[data-testid=ledger]')
    expect(ledger.get('[data-testid=raw-samples]').text()).toBe('0 raw samples uploaded')
    expect(ledger.findAll('thead th').map((h) => h.text())).toEqual(['Board', 'Raw samples', 'Knowledge', 'Private data', 'HELLO', 'KNOWLEDGE', 'STATUS'])
    expect(ledger.findAll('tbody tr')[1].findAll('td').map((c) => c.text())).toEqual(['b2', '0', '0 B', '—', '40 B', '—', '24 B'])
    expect(ledger.get('[data-testid=ledger-private]').text()).toBe('765.6 KB (knowledge is 0.18% of it)')
    expect(w.find('[data-testid=qa]').exists()).toBe(false)
  })

  it('the QA tab shows the verdict, every check against its limit, and downloads the console\'s HTML', async () => {
    const failing = qaReport({ passed: false, reasons: ['int8 agreement 95.0% below 99.0%'] })
    failing.checks[3] = { ...failing.checks[3], passed: false, measured: 0.95, detail: '95.0% agreement' }
    f.stub('diredi.roundReport', (p) => ({ ok: true, value: roundReport(p.id, { outcome: 'qa-failed', qa: failing }) }))
    f.stub('diredi.qaHtml', (p) => ({ ok: true, value: { html: `<!doctype html><h1>QA ${p.round}</h1>`, fileName: `qa-${p.round}.html` } }))
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:qa'))
    const clicked: Array<{ href: string; download: string }> = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download })
    })
    const w = await page('/diredi/rounds/r7/qa')
    expect(w.get('[data-testid=tab-qa]').attributes('aria-current')).toBe('page')
    expect(w.get('[data-testid=qa-verdict]').text()).toBe('FAILED int8 agreement 95.0% below 99.0%')
    const checks = w.get('[data-testid=qa-checks]').findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()))
    expect(checks.map((c) => c[1])).toEqual(['✓ pass', '✓ pass', '✓ pass', '✗ fail'])
    expect(checks[0].slice(2, 4)).toEqual(['1.25 pts drop', '≤ 3.00 pts'])
    expect(checks[3].slice(2)).toEqual(['95.00%', '≥ 99.00%', '95.0% agreement'])
    expect(w.get('[data-testid=qa-max-drop]').text()).toContain('1.00 pts')
    expect(w.get('[data-testid=qa-int8]').text()).toContain('99.50%')
    expect(w.get('[data-testid=qa-student-chart] [role=img]').attributes('aria-label')).toBe('student accuracy per class on V_p, before → after: 0 90.0% → 92.0%, 1 80.0% → 79.0%, 2 — → —')
    expect(w.get('[data-testid=qa-boards]').findAll('tbody tr').map((r) => r.findAll('td')[3].text())).toEqual(['+20.0 pts', 'not measured'])
    await w.get('[data-testid=qa-download]').trigger('click')
    await flushPromises()
    expect(clicked).toEqual([{ href: 'blob:qa', download: 'qa-r7.html' }])
    expect(await blobs[0].text()).toBe('<!doctype html><h1>QA r7</h1>')
    expect(w.text()).toContain('saved as qa-r7.html')
  })

  it('a round without a candidate says why it has no QA report', async () => {
    f.stub('diredi.roundReport', (p) => ({ ok: true, value: roundReport(p.id, { outcome: 'no-knowledge', qa: null, candidate: null }) }))
    const w = await page('/diredi/rounds/r3/qa')
    expect(w.get('[data-testid=qa-none]').text()).toContain('(no-knowledge)')
  })

  it('the demo starts a round on the chosen scenario, follows its job live, and opens the QA report when it succeeds', async () => {
    f.stub('diredi.scenarios', () => ({ ok: true, value: [scenario('prior-3'), scenario('tiny', { boards: 2, description: 'two boards' })] }))
    f.stub('diredi.round', () => ({ ok: true, value: direDiJob('j1', { state: 'queued', progress: null }) }))
    f.stub('jobs.get', () => ({ ok: true, value: direDiJob('j1', { state: 'running', progress: 0.1 }) }))
    f.stub('jobs.series', () => ({ ok: true, value: [] }))
    f.stub('jobs.log', () => ({ ok: true, value: [{ at: 'a', level: 'info' as const, message: 'scenario tiny: 2 boards' }] }))
    f.stub('diredi.roundReport', (p) => ({ ok: true, value: roundReport(p.id) }))
    await router.push('/diredi/rounds')
    const w = mount(RunForm, { props: { kind: 'round' }, global: { plugins: [router], stubs } })
    await flushPromises()
    expect(w.get<HTMLSelectElement>('[data-testid=round-scenario]').element.value).toBe('prior-3')
    await w.get('[data-testid=round-scenario]').setValue('tiny')
    expect(w.text()).toContain('two boards')
    await w.get('[data-testid=round-rounds]').setValue('2')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(f.calls.find((c) => c.method === 'diredi.round')?.params).toEqual({ scenario: 'tiny', rounds: 2 })
    const live = w.get('[data-testid=round-progress]')
    expect(live.get('[role=progressbar]').attributes('aria-valuenow')).toBe('10')
    expect(w.get('[data-testid=round-start]').attributes('disabled')).toBeDefined()
    f.emit('job.log', { id: 'j1', line: { at: 'b', level: 'info', message: 'b1: knowledge accepted' } })
    f.emit('job.updated', direDiJob('j1', { progress: 0.6 }))
    await flushPromises()
    expect(live.findAll('li').map((l) => l.text())).toEqual(['scenario tiny: 2 boards', 'b1: knowledge accepted'])
    expect(router.currentRoute.value.path).toBe('/diredi/rounds')
    f.emit('job.updated', direDiJob('j1', { state: 'succeeded', progress: 1, result: { rounds: [{ id: 'r-1' }, { id: 'r-2' }] } }))
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/diredi/rounds/r-2/qa')
  })

  it('the demo shows the coded refusal and a failed job with its error', async () => {
    f.stub('diredi.scenarios', () => ({ ok: true, value: [scenario('prior-3')] }))
    let refuse = true
    f.stub('diredi.round', () => (refuse ? { ok: false, error: { code: 'BAD_REQUEST', message: 'rounds: too big' } } : { ok: true, value: direDiJob('j2') }))
    f.stub('jobs.get', () => ({ ok: true, value: direDiJob('j2') }))
    f.stub('jobs.series', () => ({ ok: true, value: [] }))
    f.stub('jobs.log', () => ({ ok: true, value: [] }))
    await router.push('/')
    const w = mount(RunForm, { props: { kind: 'round' }, global: { plugins: [router], stubs } })
    await flushPromises()
    await w.get('[data-testid=round-rounds]').setValue('99')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid=round-error]').text()).toBe('BAD_REQUEST rounds: too big')
    refuse = false
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.find('[data-testid=round-error]').exists()).toBe(false)
    f.emit('job.updated', direDiJob('j2', { state: 'failed', error: { code: 'INTERNAL', message: 'board b1 stopped answering' } }))
    await flushPromises()
    expect(w.get('[data-testid=round-progress] [role=alert]').text()).toBe('board b1 stopped answering (INTERNAL)')
    expect(w.get('[data-testid=round-start]').attributes('disabled')).toBeUndefined()
    expect(router.currentRoute.value.path).toBe('/')
  })

  it('an experiment page shows the method table, the yardstick, and the exported SVG on request', async () => {
    f.stub('diredi.experimentReport', (p) => ({ ok: true, value: experimentReport(p.id) }))
    f.stub('diredi.chartSvg', () => ({ ok: true, value: { svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>a&amp;b</text></svg>' } }))
    const w = await page('/diredi/experiments/e1')
    expect(w.get('[data-testid=yardstick]').text()).toBe("Yardstick met: DiReDi's gain in users' accuracy over none is +28.0 pts, 88% of the larger of oracle's (+32.0 pts) and local's (+30.0 pts); 80% is the bar.")
    const rows = w.get('[data-testid=method-table]').findAll('tbody tr')
    expect(rows.map((r) => r.attributes('data-method'))).toEqual(['none', 'local', 'oracle', 'diredi'])
    expect(rows[2].findAll('td').map((c) => c.text()).slice(0, 7)).toEqual(['92.00%', '85.00%', '1.00 pts', '1,200', '0 B', '3s', '—'])
    expect(rows[3].findAll('td').map((c) => c.text())[6]).toBe('passed')
    expect(w.get('[data-testid=experiment-charts]').findAll('[role=img]')[0].attributes('aria-label')).toContain('diredi 80.0% 88.0%')
    await w.get('[data-testid=chart-svg]').trigger('click')
    await flushPromises()
    const img = w.get('[data-testid=experiment-svg]')
    expect(decodeURIComponent(img.attributes('src')!.split(',')[1])).toBe('<svg xmlns="http://www.w3.org/2000/svg"><text>a&amp;b</text></svg>')
    expect(w.get('[data-testid=chart-svg]').attributes('aria-pressed')).toBe('true')
  })

  it('a one-round experiment is drawn as bars per method, not as lone points', async () => {
    const one = experimentReport('e2')
    one.perRound = one.perRound.filter((r) => r.round === 1)
    f.stub('diredi.experimentReport', () => ({ ok: true, value: { ...one, rounds: 1 } }))
    const w = await page('/diredi/experiments/e2')
    const charts = w.get('[data-testid=experiment-charts]').findAll('[role=img]')
    expect(charts).toHaveLength(1)
    expect(charts[0].attributes('aria-label')).toBe('accuracy per method: none users 60.0%, V_p 85.0%; local users 90.0%, V_p 85.0%; oracle users 92.0%, V_p 85.0%; diredi users 88.0%, V_p 85.0%')
  })

  it('the teachers page marks the current version from the console and restores an earlier one', async () => {
    const t = (id: string, i: number) => model(id, { name: `teacher-r${i}`, createdAt: `2026-01-0${i + 1}T00:00:00Z`, lineage: i ? { parentId: `t-${i}`, knowledge: [`round-${i}/b1`] } : {} })
    f.stub('datasets.list', () => ({ ok: true, value: [] }))
    f.stub('models.list', () => ({ ok: true, value: [t('t-1', 0), t('t-2', 1), t('t-3', 2)] }))
    f.stub('artifacts.list', () => ({ ok: true, value: [] }))
    f.stub('diredi.teachers', () => ({ ok: true, value: [teacherLine('t-2')] }))
    f.stub('diredi.restoreTeacher', (p) => ({ ok: true, value: teacherLine(p.id) }))
    const w = await page('/models/teachers')
    const rows = () => w.get('[data-testid=teacher-line]').findAll('tbody tr')
    const cells = () => rows().map((r) => r.findAll('td').slice(0, 2).map((c) => c.text()))
    expect(cells()).toEqual([['v3', 'v2'], ['v2 current', 'v1'], ['v1', '—']])
    expect(rows().map((r) => r.find('[data-testid=restore]').exists())).toEqual([true, false, true])
    await rows()[2].get('[data-testid=restore]').trigger('click')
    await flushPromises()
    expect(f.calls.find((c) => c.method === 'diredi.restoreTeacher')?.params).toEqual({ id: 't-1' })
    expect(cells().map((c) => c[0])).toEqual(['v3', 'v2', 'v1 current'])
    expect(rows()[0].get('[data-testid=restore]').attributes('aria-label')).toBe('Restore teacher-r2 (v3) as the current teacher')
  })
})
