import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { fakeApi } from '../testing/fake-api'
import { direDiJob, experimentReport, roundReport, roundSummary, scenario, teacherLine } from '../testing/diredi-records'
import { provideApi } from './api'
import { useDirediStore } from './diredi'

describe('diredi store', () => {
  let f: ReturnType<typeof fakeApi>
  beforeEach(() => {
    f = fakeApi()
    provideApi(f.api)
    setActivePinia(createPinia())
  })

  it('starts a round with the scenario and rounds given, and keeps a refusal for the form', async () => {
    f.stub('diredi.round', (p) => (p.scenario === 'prior-3' ? { ok: true, value: direDiJob('j1') } : { ok: false, error: { code: 'NOT_FOUND', message: `no scenario named "${p.scenario}"` } }))
    const s = useDirediStore()
    expect(await s.startRound({ scenario: 'prior-3', rounds: 2 })).toBe('j1')
    expect(f.calls[0].params).toEqual({ scenario: 'prior-3', rounds: 2 })
    expect(s.startError).toBeNull()
    expect(await s.startRound({ scenario: 'nope' })).toBeNull()
    expect(f.calls[1].params).toEqual({ scenario: 'nope' })
    expect(s.startError).toEqual({ code: 'NOT_FOUND', message: 'no scenario named "nope"' })
    expect(s.error).toBeNull()
  })

  it('starts an experiment through its own method', async () => {
    f.stub('diredi.experiment', () => ({ ok: true, value: direDiJob('j2', { kind: 'diredi.experiment' }) }))
    expect(await useDirediStore().startExperiment({ scenario: 'prior-3', rounds: 3 })).toBe('j2')
    expect(f.calls.map((c) => c.method)).toEqual(['diredi.experiment'])
  })

  it('reads the lists again when a round or experiment job finishes, not while it runs or for other kinds', async () => {
    let rounds = [roundSummary('r1')]
    f.stub('diredi.rounds', () => ({ ok: true, value: rounds }))
    f.stub('diredi.experiments', () => ({ ok: true, value: [] }))
    const s = useDirediStore()
    await s.loadRounds()
    rounds = [roundSummary('r2'), roundSummary('r1')]
    f.emit('job.updated', direDiJob('j1', { state: 'running' }))
    f.emit('job.updated', direDiJob('j0', { kind: 'distill', state: 'succeeded' }))
    await Promise.resolve()
    expect(s.rounds.map((r) => r.id)).toEqual(['r1'])
    f.emit('job.updated', direDiJob('j1', { state: 'succeeded' }))
    await new Promise((r) => setTimeout(r, 0))
    expect(s.rounds.map((r) => r.id)).toEqual(['r2', 'r1'])
    // experiments were never listed: nobody shows them, so a finished experiment reads nothing
    f.emit('job.updated', direDiJob('j3', { kind: 'diredi.experiment', state: 'failed' }))
    await new Promise((r) => setTimeout(r, 0))
    expect(f.calls.filter((c) => c.method === 'diredi.experiments')).toHaveLength(0)
    await s.loadExperiments()
    f.emit('job.updated', direDiJob('j3', { kind: 'diredi.experiment', state: 'failed' }))
    await new Promise((r) => setTimeout(r, 0))
    expect(f.calls.filter((c) => c.method === 'diredi.experiments')).toHaveLength(2)
  })

  it('opens round and experiment reports by id and keeps the coded error of a missing one', async () => {
    f.stub('diredi.roundReport', (p) => (p.id === 'r1' ? { ok: true, value: roundReport('r1') } : { ok: false, error: { code: 'NOT_FOUND', message: `no round ${p.id}` } }))
    f.stub('diredi.experimentReport', (p) => ({ ok: true, value: experimentReport(p.id) }))
    const s = useDirediStore()
    expect((await s.openRound('r1'))?.qa?.passed).toBe(true)
    expect(s.roundsById.r1.inbox).toHaveLength(2)
    expect(await s.openRound('r9')).toBeNull()
    expect(s.error?.code).toBe('NOT_FOUND')
    await s.openExperiment('e1')
    expect(s.experimentsById.e1.table.map((r) => r.method)).toEqual(['none', 'local', 'oracle', 'diredi'])
    expect(s.error).toBeNull()
  })

  it('hands out the QA HTML and the chart SVG the console made', async () => {
    f.stub('diredi.qaHtml', (p) => ({ ok: true, value: { html: '<!doctype html><title>QA</title>', fileName: `qa-${p.round}.html` } }))
    f.stub('diredi.chartSvg', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no experiment e9' } }))
    const s = useDirediStore()
    expect(await s.qaHtml('r1')).toEqual({ html: '<!doctype html><title>QA</title>', fileName: 'qa-r1.html' })
    expect(await s.chartSvg('e9')).toBeNull()
    expect(s.error?.message).toBe('no experiment e9')
  })

  it('lists scenarios', async () => {
    f.stub('diredi.scenarios', () => ({ ok: true, value: [scenario('prior-3'), scenario('cov', { shifts: ['covariate'] })] }))
    const s = useDirediStore()
    await s.loadScenarios()
    expect(s.scenarios.map((x) => x.name)).toEqual(['prior-3', 'cov'])
  })

  it('restores a teacher version: the line comes back with the new current one, and a refusal changes nothing', async () => {
    f.stub('diredi.teachers', () => ({ ok: true, value: [teacherLine('t-3')] }))
    f.stub('diredi.restoreTeacher', (p) => (p.id === 'x' ? { ok: false, error: { code: 'NOT_FOUND', message: 'no model "x"' } } : { ok: true, value: teacherLine(p.id) }))
    const s = useDirediStore()
    await s.loadTeachers()
    expect(s.currentTeacher).toEqual({ 't-1': false, 't-2': false, 't-3': true })
    expect(await s.restoreTeacher('t-1')).toBe(true)
    expect(s.currentTeacher).toEqual({ 't-1': true, 't-2': false, 't-3': false })
    expect(s.teacherLines).toHaveLength(1)
    expect(await s.restoreTeacher('x')).toBe(false)
    expect(s.error?.code).toBe('NOT_FOUND')
    expect(s.currentTeacher['t-1']).toBe(true)
  })

  it('reads teacher lines again when a model changes, once they were read', async () => {
    let line = teacherLine('t-2')
    f.stub('diredi.teachers', () => ({ ok: true, value: [line] }))
    const s = useDirediStore()
    f.emit('registry.changed', { kind: 'model', id: 't-3', change: 'added' })
    expect(f.calls).toHaveLength(0)
    await s.loadTeachers()
    line = teacherLine('t-3')
    f.emit('registry.changed', { kind: 'model', id: 't-3', change: 'added' })
    await new Promise((r) => setTimeout(r, 0))
    expect(s.teacherLines[0].currentId).toBe('t-3')
  })
})
