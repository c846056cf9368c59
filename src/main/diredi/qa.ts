import { classificationReport } from '../ml/quantize/evaluate'
import type { QaBoardResult, QaCheck, QaPolicy, QaReport } from '../../shared/diredi/qa'

/** Per-class accuracy from true and predicted labels; NaN for a class with no samples. */
export function perClassAccuracy(y: ArrayLike<number>, pred: ArrayLike<number>, classes: number): number[] {
  return classificationReport(Int32Array.from(pred), Int32Array.from(y), classes).perClass.map((c) => c.accuracy)
}

/** Accuracy over a subset of classes (sample-weighted), from true and predicted labels. */
export function accuracyOver(y: ArrayLike<number>, pred: ArrayLike<number>, classes: Set<number>): number {
  let n = 0
  let hit = 0
  for (let i = 0; i < y.length; i++) {
    if (!classes.has(y[i])) continue
    n++
    if (pred[i] === y[i]) hit++
  }
  return n ? hit / n : NaN
}

export interface QaInput {
  ids: { candidate: string; baseStudent: string; teacherBefore: string; teacherAfter: string }
  classes: number
  /** V_p labels and each model's predictions on V_p. */
  vp: { y: ArrayLike<number>; studentBefore: ArrayLike<number>; studentAfter: ArrayLike<number>; teacherBefore: ArrayLike<number>; teacherAfter: ArrayLike<number> }
  /** Sum over boards of class_counts (what classes users' data holds). */
  userClassCounts: number[]
  /** Classes some user relabels (a preference shift): their V_p labels are not the users' truth. */
  relabelledClasses: number[]
  int8Agreement: number
  boards: QaBoardResult[]
  policy: QaPolicy
}

/**
 * The QA gate of docs/method.md §7. Passes only if (a) the candidate student's V_p accuracy over the
 * classes the users hold and did not relabel falls by at most the policy's points against S_r, and the
 * new teacher's V_p accuracy over the classes nobody relabelled falls by at most the same; (b) no board's
 * accuracy on its own test data falls (beyond the tolerance); (c) the int8 artifact agrees with the float
 * student on enough of V_p.
 */
export function qaGate(q: QaInput): QaReport {
  const relabelled = new Set(q.relabelledClasses)
  const all = [...Array(q.classes).keys()]
  const guardedStudent = all.filter((c) => q.userClassCounts[c] > 0 && !relabelled.has(c))
  const guardedTeacher = all.filter((c) => !relabelled.has(c))
  const lim = q.policy.maxRegressionPts / 100
  const checks: QaCheck[] = []

  /** A V_p accuracy over some classes may fall by at most the policy's points. */
  const regression = (id: 'student_vp' | 'teacher_vp', title: string, classes: number[], before: ArrayLike<number>, after: ArrayLike<number>, none: string): QaCheck => {
    const set = new Set(classes)
    const a = accuracyOver(q.vp.y, before, set)
    const b = accuracyOver(q.vp.y, after, set)
    const drop = classes.length ? a - b : 0
    return { id, title, passed: drop <= lim + 1e-12, measured: round4(drop * 100), limit: q.policy.maxRegressionPts, detail: classes.length ? `${pct(a)} -> ${pct(b)} over classes [${classes}]` : none }
  }
  checks.push(regression('student_vp', 'Student on V_p, classes the users hold and did not relabel', guardedStudent, q.vp.studentBefore, q.vp.studentAfter, 'no guarded classes (users relabel every class they hold)'))
  const sPer = { before: perClassAccuracy(q.vp.y, q.vp.studentBefore, q.classes), after: perClassAccuracy(q.vp.y, q.vp.studentAfter, q.classes) }
  if (q.policy.maxClassDropPts !== null) {
    const drops = guardedStudent.map((c) => ({ c, d: Number.isFinite(sPer.before[c]) ? (sPer.before[c] - sPer.after[c]) * 100 : 0 }))
    const worst = drops.reduce((m, x) => (x.d > m.d ? x : m), { c: -1, d: 0 })
    checks.push({
      id: 'student_class',
      title: 'Student on V_p, every guarded class on its own',
      passed: worst.d <= q.policy.maxClassDropPts + 1e-9,
      measured: round4(worst.d),
      limit: q.policy.maxClassDropPts,
      detail: worst.c < 0 ? 'no guarded class fell' : `class ${worst.c} fell the most: ${pct(sPer.before[worst.c])} -> ${pct(sPer.after[worst.c])}`
    })
  }
  checks.push(regression('teacher_vp', 'Teacher on V_p, classes nobody relabelled', guardedTeacher, q.vp.teacherBefore, q.vp.teacherAfter, 'no guarded classes'))

  const fallen = q.boards.filter((b) => b.after !== null && (b.before - b.after) * 100 > q.policy.boardTolerancePts + 1e-9)
  const worst = q.boards.reduce((m, b) => (b.after === null ? m : Math.max(m, (b.before - b.after) * 100)), 0)
  checks.push({
    id: 'boards',
    title: "Boards' accuracy on their own test data",
    passed: fallen.length === 0,
    measured: round4(worst),
    limit: q.policy.boardTolerancePts,
    detail: fallen.length ? `fell on ${fallen.map((b) => `${b.boardId} (${pct(b.before)} -> ${pct(b.after ?? 0)})`).join(', ')}` : `${q.boards.filter((b) => b.after !== null).length} boards, none fell`
  })

  checks.push({
    id: 'int8_agreement',
    title: 'int8 artifact agrees with the float student on V_p',
    passed: q.int8Agreement >= q.policy.minInt8Agreement,
    measured: round4(q.int8Agreement),
    limit: q.policy.minInt8Agreement,
    detail: `${pct(q.int8Agreement)} agreement`
  })


  const tPer = { before: perClassAccuracy(q.vp.y, q.vp.teacherBefore, q.classes), after: perClassAccuracy(q.vp.y, q.vp.teacherAfter, q.classes) }
  const maxClassDrop = Math.max(0, ...all.map((c) => (Number.isNaN(sPer.before[c]) ? 0 : (sPer.before[c] - sPer.after[c]) * 100)))
  const everything = new Set(all)
  return {
    candidateId: q.ids.candidate,
    baseStudentId: q.ids.baseStudent,
    teacherBeforeId: q.ids.teacherBefore,
    teacherAfterId: q.ids.teacherAfter,
    passed: checks.every((c) => c.passed),
    reasons: checks.filter((c) => !c.passed).map((c) => `${c.title}: ${c.detail} (limit ${c.limit})`),
    checks,
    policy: q.policy,
    guardedStudentClasses: guardedStudent,
    guardedTeacherClasses: guardedTeacher,
    relabelledClasses: [...relabelled].sort((a, b) => a - b),
    perClass: { student: sPer, teacher: tPer },
    overall: {
      studentBefore: accuracyOver(q.vp.y, q.vp.studentBefore, everything),
      studentAfter: accuracyOver(q.vp.y, q.vp.studentAfter, everything),
      teacherBefore: accuracyOver(q.vp.y, q.vp.teacherBefore, everything),
      teacherAfter: accuracyOver(q.vp.y, q.vp.teacherAfter, everything)
    },
    maxClassDropPts: round4(maxClassDrop),
    int8Agreement: q.int8Agreement,
    boards: q.boards,
    createdAt: new Date().toISOString()
  }
}

/** A fraction as a percentage with one decimal, for reports and logs ('n/a' when not a number). */
export const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a')
const round4 = (x: number) => Math.round(x * 1e4) / 1e4
