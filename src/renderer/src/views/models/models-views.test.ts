import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { fakeApi } from '../../testing/fake-api'
import { artifact, dataset, model } from '../../testing/records'
import { provideApi } from '../../stores/api'
import { routes } from '../../router'
import DatasetImport from './DatasetImport.vue'
import ModelDetailView from './ModelDetailView.vue'

// Canvas charts are ECharts' business; here we check what the views decide to show.
const stubs = { Echarts: true }
const confusion = [[8, 1, 1], [0, 9, 1], [2, 0, 8]]

describe('models views', () => {
  let f: ReturnType<typeof fakeApi>
  let router: ReturnType<typeof createRouter>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
    router = createRouter({ history: createMemoryHistory(), routes })
  })

  it('the import form sends only the options of the chosen format and shows a coded error with its issues', async () => {
    f.stub('datasets.import', () => ({ ok: false, error: { code: 'BAD_REQUEST', message: 'bad params for datasets.import', details: { issues: ['testFraction: too big', 'paths: too many'] } } }))
    const w = mount(DatasetImport, { global: { plugins: [router] } })
    await w.get('[data-testid=import-format]').setValue('csv')
    await w.get('[data-testid=import-name]').setValue(' iris ')
    await w.get('[data-testid=import-files]').setValue('/data/iris.csv\n\n  /data/iris-test.csv ')
    await w.get('[data-testid=import-test-fraction]').setValue('0.95')
    await w.get('[data-testid=import-label-column]').setValue('4')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(f.calls[0].params).toEqual({ format: 'csv', paths: ['/data/iris.csv', '/data/iris-test.csv'], name: 'iris', testFraction: 0.95, labelColumn: 4, header: 'auto' })
    const alert = w.get('[data-testid=import-error]')
    expect(alert.attributes('role')).toBe('alert')
    expect(alert.text()).toContain('BAD_REQUEST')
    expect(alert.findAll('li').map((l) => l.text())).toEqual(['testFraction: too big', 'paths: too many'])
  })

  it('a model page shows architecture, lineage, versions, confusion and per-class accuracy from the record', async () => {
    const ds = dataset('ds-1', { name: 'digits3', classNames: ['zero', 'one', 'two'] })
    const t1 = model('t-1', { name: 'teacher', createdAt: '2026-01-01T00:00:00Z', lineage: { datasetId: 'ds-1' } })
    const t2 = model('t-2', { name: 'teacher-r1', createdAt: '2026-01-02T00:00:00Z', lineage: { datasetId: 'ds-1', parentId: 't-1', knowledge: ['k-1', 'k-2'] }, metrics: { testAcc: 0.8333 }, meta: { confusion, history: [{ epoch: 1, trainLoss: 1 }, { epoch: 2, trainLoss: 0.5 }] } })
    const s1 = model('s-1', { name: 'student', lineage: { datasetId: 'ds-1', teacherId: 't-2' } })
    f.stub('datasets.list', () => ({ ok: true, value: [ds] }))
    f.stub('models.list', () => ({ ok: true, value: [t1, t2, s1] }))
    f.stub('artifacts.list', () => ({ ok: true, value: [artifact('a-1', 's-1')] }))
    await router.push('/models/m/t-2')
    const w = mount({ template: '<RouterView />' }, { global: { plugins: [router], stubs } })
    await flushPromises()
    expect(w.get('#model-title').text()).toBe('teacher-r1')
    expect(w.get('[data-testid=lineage]').findAll('li').map((l) => l.text())).toEqual(['datasetdigits3', 'teacherteacher', 'teacherteacher-r1'])
    expect(w.get('[data-testid=versions]').findAll('li').map((l) => l.text().split(' 20')[0].split(' 1/')[0])).toHaveLength(2)
    expect(w.get('[data-testid=versions]').text()).toContain('v2 teacher-r1 (this one)')
    expect(w.get('[data-testid=architecture]').findAll('tbody tr').map((r) => r.findAll('td')[3].text())).toEqual(['[4]', '[5]', '[3]'])
    expect(w.get('[data-testid=confusion]').text()).toContain('Confusion matrix')
    const table = w.get('[data-testid=confusion] table')
    expect(table.findAll('thead th').map((h) => h.text())).toEqual(['', 'zero', 'one', 'two'])
    // per-class accuracy derived from the matrix when the record holds no separate figures
    expect(w.get('[data-testid=per-class] figure').attributes('aria-label')).toBe('accuracy per class of teacher-r1: zero 80.0%, one 90.0%, two 80.0%')
    expect(w.text()).toContain('Students distilled from it')
    expect(w.text()).toContain('testAcc83.33%')
  })

  it('a model the registry does not hold shows the coded error', async () => {
    f.stub('datasets.list', () => ({ ok: true, value: [] }))
    f.stub('models.list', () => ({ ok: true, value: [] }))
    f.stub('artifacts.list', () => ({ ok: true, value: [] }))
    f.stub('models.get', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no model "nope"' } }))
    await router.push('/models/m/nope')
    const w = mount(ModelDetailView, { props: { id: 'nope' }, global: { plugins: [router], stubs } })
    await flushPromises()
    expect(w.get('[role=alert]').text()).toBe('no model "nope" (NOT_FOUND)')
  })
})
