import { describe, expect, it } from 'vitest'
import { DEFAULT_QA_POLICY } from '../../shared/diredi/qa'
import { accuracyOver, perClassAccuracy, qaGate, type QaInput } from './qa'

// 3 classes, 10 samples each on V_p
const y = [...Array(30).keys()].map((i) => Math.floor(i / 10))
const predWith = (wrongPerClass: number[]) => y.map((c, i) => (i % 10 < wrongPerClass[c] ? (c + 1) % 3 : c))

const input = (over: Partial<QaInput> = {}): QaInput => ({
  ids: { candidate: 's-new', baseStudent: 's-old', teacherBefore: 't-0', teacherAfter: 't-1' },
  classes: 3,
  vp: { y, studentBefore: predWith([1, 1, 1]), studentAfter: predWith([1, 1, 1]), teacherBefore: predWith([0, 0, 0]), teacherAfter: predWith([0, 0, 0]) },
  userClassCounts: [50, 50, 0],
  relabelledClasses: [],
  int8Agreement: 0.995,
  boards: [{ boardId: 'b1', before: 0.8, after: 0.9 }],
  policy: DEFAULT_QA_POLICY,
  ...over
})

describe('QA gate', () => {
  it('passes a candidate that regresses nowhere', () => {
    const r = qaGate(input())
    expect(r.passed).toBe(true)
    expect(r.reasons).toEqual([])
    expect(r.guardedStudentClasses).toEqual([0, 1])
  })

  it('fails a student that loses more than 3 points on the classes users hold', () => {
    const r = qaGate(input({ vp: { ...input().vp, studentAfter: predWith([3, 1, 1]) } }))
    expect(r.passed).toBe(false)
    expect(r.checks.find((c) => c.id === 'student_vp')).toMatchObject({ passed: false, measured: 10 })
    expect(r.reasons[0]).toMatch(/Student on V_p/)
  })

  it('with a per-class limit, fails one guarded class that falls alone though the guarded classes together hold', () => {
    // Class 0 falls 20 points while class 1 gains 20: the guarded classes together do not fall, (a) holds.
    const vp = { ...input().vp, studentBefore: predWith([0, 2, 0]), studentAfter: predWith([2, 0, 0]) }
    const loose = qaGate(input({ vp }))
    expect(loose.passed).toBe(true)
    expect(loose.checks.map((c) => c.id)).not.toContain('student_class')
    const strict = qaGate(input({ vp, policy: { ...DEFAULT_QA_POLICY, maxClassDropPts: 10 } }))
    expect(strict.passed).toBe(false)
    expect(strict.checks.find((c) => c.id === 'student_class')).toMatchObject({ passed: false, measured: 20, limit: 10, detail: 'class 0 fell the most: 100.0% -> 80.0%' })
    expect(qaGate(input({ vp, policy: { ...DEFAULT_QA_POLICY, maxClassDropPts: 20 } })).passed).toBe(true)
  })

  it('ignores a drop on a class no user holds for the student check, but reports it as collateral regression', () => {
    const r = qaGate(input({ vp: { ...input().vp, studentAfter: predWith([1, 1, 5]) } }))
    expect(r.checks.find((c) => c.id === 'student_vp')?.passed).toBe(true)
    expect(r.maxClassDropPts).toBe(40)
  })

  it('does not hold a relabelled class against the teacher', () => {
    const r = qaGate(input({ relabelledClasses: [1], vp: { ...input().vp, teacherAfter: predWith([0, 10, 0]) } }))
    expect(r.checks.find((c) => c.id === 'teacher_vp')?.passed).toBe(true)
    expect(r.guardedTeacherClasses).toEqual([0, 2])
    const bad = qaGate(input({ vp: { ...input().vp, teacherAfter: predWith([0, 10, 0]) } }))
    expect(bad.checks.find((c) => c.id === 'teacher_vp')?.passed).toBe(false)
  })

  it('fails when a board falls or int8 agreement is too low', () => {
    const r = qaGate(input({ boards: [{ boardId: 'b1', before: 0.8, after: 0.79 }], int8Agreement: 0.98 }))
    expect(r.passed).toBe(false)
    expect(r.checks.filter((c) => !c.passed).map((c) => c.id).sort()).toEqual(['boards', 'int8_agreement'])
  })

  it('computes per-class and subset accuracy', () => {
    expect(perClassAccuracy([0, 0, 1, 1], [0, 1, 1, 1], 3)).toEqual([0.5, 1, NaN])
    expect(accuracyOver([0, 0, 1, 2], [0, 1, 1, 0], new Set([0, 1]))).toBeCloseTo(2 / 3)
  })
})

describe('standalone QA report', () => {
  it('is one HTML file with the verdict, the reasons, per-class tables and inline SVG charts, and no script', async () => {
    const { qaReportHtml } = await import('./qa-html')
    const r = qaGate(input({ boards: [{ boardId: 'b<1>', before: 0.8, after: 0.5 }] }))
    const html = qaReportHtml(r, ['zero', 'one', 'two'])
    expect(html).toMatch(/FAIL: nothing is flashed/)
    expect(html).toContain('b&lt;1&gt;')
    expect(html).not.toContain('<script')
    expect((html.match(/<svg /g) ?? []).length).toBe(2)
    expect(html).toContain('<td>one</td>')
  })
})
