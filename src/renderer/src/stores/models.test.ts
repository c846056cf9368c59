import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeApi } from '../testing/fake-api'
import { artifact, model } from '../testing/records'
import { provideApi } from './api'
import { useModelsStore } from './models'

const tick = () => new Promise((r) => setTimeout(r, 0))
const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`

describe('models store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it('splits teachers and students, links students and artifacts to their models, and groups teacher versions', async () => {
    f.stub('models.list', () => ({
      ok: true,
      value: [
        model('t-1', { createdAt: at(1), lineage: { datasetId: 'ds-1' } }),
        model('t-2', { createdAt: at(3), lineage: { datasetId: 'ds-1', parentId: 't-1', knowledge: ['k-1'] } }),
        model('t-9', { createdAt: at(2) }),
        model('s-1', { createdAt: at(4), lineage: { datasetId: 'ds-1', teacherId: 't-1' } })
      ]
    }))
    f.stub('artifacts.list', () => ({ ok: true, value: [artifact('a-1', 's-1', { createdAt: at(5) }), artifact('a-2', 's-1', { createdAt: at(6) })] }))
    const s = useModelsStore()
    await s.load()
    expect(s.teachers.map((m) => m.id)).toEqual(['t-2', 't-9', 't-1'])
    expect(s.students.map((m) => m.id)).toEqual(['s-1'])
    expect(s.studentsOf('t-1').map((m) => m.id)).toEqual(['s-1'])
    expect(s.artifactsOf('s-1').map((a) => a.id)).toEqual(['a-2', 'a-1'])
    expect(s.trainedOn('ds-1').map((m) => m.id)).toEqual(['s-1', 't-2', 't-1'])
    expect(s.teacherLines.map((l) => l.versions.map((v) => v.id))).toEqual([['t-2', 't-1'], ['t-9']])
    expect(s.find('t-9')?.kind).toBe('teacher')
  })

  it('stays live: a model event fetches that model, an artifact event reloads the artifacts', async () => {
    f.stub('models.list', () => ({ ok: true, value: [] }))
    let artifacts = [artifact('a-1', 's-1')]
    f.stub('artifacts.list', () => ({ ok: true, value: artifacts }))
    const s = useModelsStore()
    await s.load()
    f.stub('models.get', (p) => ({ ok: true, value: model(p.ref, { metrics: { testAcc: 0.9 } }) }))
    f.emit('registry.changed', { kind: 'model', id: 's-1', change: 'updated' })
    artifacts = [...artifacts, artifact('a-2', 's-1', { createdAt: at(9) })]
    f.emit('registry.changed', { kind: 'artifact', id: 'a-2', change: 'added' })
    await tick()
    expect(s.byId['s-1'].metrics.testAcc).toBe(0.9)
    expect(s.artifacts.map((a) => a.id)).toEqual(['a-2', 'a-1'])
    f.emit('registry.changed', { kind: 'model', id: 's-1', change: 'removed' })
    f.emit('registry.changed', { kind: 'dataset', id: 'ds-1', change: 'added' }) // not ours
    expect(s.all).toEqual([])
  })

  it('shares one read between concurrent callers', async () => {
    f.stub('models.list', () => ({ ok: true, value: [model('t-1')] }))
    f.stub('artifacts.list', () => ({ ok: true, value: [] }))
    const s = useModelsStore()
    await Promise.all([s.ready(), s.load(), s.ready()])
    await s.ready()
    expect(f.calls.map((c) => c.method)).toEqual(['models.list', 'artifacts.list'])
    await s.load()
    expect(f.calls).toHaveLength(4)
  })

  it('keeps the coded error of a failed read', async () => {
    f.stub('models.get', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no model "x"; list them with `diredi models`' } }))
    const s = useModelsStore()
    expect(await s.fetch('x')).toBeNull()
    expect(s.error?.code).toBe('NOT_FOUND')
  })
})
