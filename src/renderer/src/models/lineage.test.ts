import { describe, expect, it } from 'vitest'
import { model, artifact } from '../testing/records'
import { rootOf, trailOf, versionLines } from './lineage'

describe('lineage', () => {
  it('finds the first version of a line and survives a parent cycle', () => {
    const a = model('t-a', { lineage: { parentId: 't-b' } })
    const b = model('t-b', { lineage: { parentId: 't-a' } })
    const c = model('t-c', { lineage: { parentId: 't-a' } })
    const byId = { 't-a': a, 't-b': b, 't-c': c }
    expect([a, b, c].map((m) => rootOf(m, byId).id)).toEqual(['t-a', 't-a', 't-a'])
    expect(versionLines([a, b, c])).toHaveLength(1)
    // an unknown parent ends the line where the record is
    expect(rootOf(model('t-x', { lineage: { parentId: 't-gone' } }), byId).id).toBe('t-x')
  })

  it('orders the trail dataset, teacher, parent, model, artifacts', () => {
    const t = model('t-1', { lineage: { datasetId: 'ds-1' } })
    const s0 = model('s-0', { lineage: { datasetId: 'ds-1', teacherId: 't-1' } })
    const s1 = model('s-1', { lineage: { datasetId: 'ds-1', teacherId: 't-1', parentId: 's-0' } })
    const trail = trailOf(s1, { 't-1': t, 's-0': s0, 's-1': s1 }, [artifact('a-1', 's-1'), artifact('a-9', 's-0')])
    expect(trail.map((s) => `${s.kind}:${s.id}`)).toEqual(['dataset:ds-1', 'teacher:t-1', 'student:s-0', 'student:s-1', 'artifact:a-1'])
    expect(trailOf(model('s-2', { lineage: { teacherId: 't-gone' } }), {}, [])[0]).toEqual({ kind: 'teacher', id: 't-gone', known: false })
  })
})
