import { describe, expect, it } from 'vitest'
import { experimentReport, qaReport, roundReport } from '../testing/diredi-records'
import { checkFigures, defaultScenario, figure, knowledgeShare, lastRoundId, roundIds, ledgerTypes, methodLines, perClassBars, perClassLabel } from './report'

describe('diredi report shaping', () => {
  it("takes the last round's id from a round job's result, and nothing from anything else", () => {
    expect(lastRoundId({ rounds: [{ id: 'r1' }, { id: 'r2' }] })).toBe('r2')
    for (const bad of [null, undefined, 7, {}, { rounds: [] }, { rounds: 'r1' }, { rounds: [{ id: 3 }] }, { rounds: [null] }, { rounds: [{ id: '' }] }]) expect(lastRoundId(bad)).toBeNull()
    expect(roundIds({ rounds: [{ id: 'r1' }, null, { id: 'r2' }] })).toEqual(['r1', 'r2'])
    expect(roundIds({ table: [] })).toEqual([])
  })

  it('starts the demo on a scenario made for demonstrations, experiments on the first', () => {
    expect(defaultScenario(['covariate-3', 'demo-tiny', 'prior-3'], 'round')).toBe('demo-tiny')
    expect(defaultScenario(['covariate-3', 'demo-tiny'], 'experiment')).toBe('covariate-3')
    expect(defaultScenario(['prior-3'], 'round')).toBe('prior-3')
    expect(defaultScenario([], 'round')).toBe('')
  })

  it('reads null and NaN as no figure', () => {
    expect([figure(0.5), figure(0), figure(null), figure(NaN), figure(undefined), figure(Infinity)]).toEqual([0.5, 0, null, null, null, null])
  })

  it("lists every board's message types once, sorted, and relates knowledge to private data", () => {
    expect(ledgerTypes(roundReport('r').ledger)).toEqual(['HELLO', 'KNOWLEDGE', 'STATUS'])
    expect(knowledgeShare(1400, 784_000)).toBeCloseTo(0.001786, 6)
    expect(knowledgeShare(1400, null)).toBeNull()
  })

  it('shows each check in its unit: points for regressions, a share for agreement', () => {
    const [student, teacher, boards, int8] = qaReport().checks
    expect(checkFigures(student)).toEqual({ measured: '1.25 pts drop', limit: '≤ 3.00 pts' })
    expect(checkFigures(teacher)).toEqual({ measured: '0.50 pts gain', limit: '≤ 3.00 pts' })
    expect(checkFigures(boards)).toEqual({ measured: '0.00 pts worst fall', limit: '≤ 0.00 pts' })
    expect(checkFigures(int8)).toEqual({ measured: '99.50%', limit: '≥ 99.00%' })
  })

  it('makes per-class bars with gaps where a class had no samples, and reads them aloud', () => {
    const bars = perClassBars(qaReport(), 'student', ['zero', 'one', 'two'])
    expect(bars.categories).toEqual(['zero', 'one', 'two'])
    expect(bars.series).toEqual([{ name: 'before', values: [0.9, 0.8, null] }, { name: 'after', values: [0.92, 0.79, null] }])
    expect(perClassLabel('student', bars)).toBe('student: zero 90.0% → 92.0%, one 80.0% → 79.0%, two — → —')
  })

  it('draws one line per method over rounds, in round order; a method measured once holds its value', () => {
    const e = experimentReport('e')
    const lines = methodLines([...e.perRound].reverse(), 'acc_user')
    expect(lines.find((l) => l.name === 'diredi')?.points).toEqual([[1, 0.8], [2, 0.88]])
    expect(lines.find((l) => l.name === 'local')?.points).toEqual([[1, 0.9], [2, 0.9]])
    expect(lines.map((l) => l.name).sort()).toEqual(['diredi', 'local', 'none', 'oracle'])
    expect(methodLines(e.perRound.filter((r) => r.round === 1), 'acc_user').find((l) => l.name === 'none')?.points).toEqual([[1, 0.6]])
  })
})
