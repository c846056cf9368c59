/**
 * The QA gate's inputs and report (docs/method.md §7), as they cross the API. Accuracies are fractions
 * in [0, 1]; "points" in the policy are percentage points (3 = 0.03).
 */
export interface QaPolicy {
  /** Largest allowed drop, in percentage points, of the guarded V_p accuracies. Default 3. */
  maxRegressionPts: number
  /** Smallest share of V_p on which the int8 artifact must agree with the float student. Default 0.99. */
  minInt8Agreement: number
  /** How far, in points, a board's accuracy on its own test data may fall. Default 0: it may not fall. */
  boardTolerancePts: number
  /**
   * Optional, stricter than check (a) of docs/method.md §7: the largest drop, in points, of any single guarded class of
   * the student on V_p (null: not checked; (a) guards the guarded classes together).
   */
  maxClassDropPts: number | null
}

export const DEFAULT_QA_POLICY: QaPolicy = { maxRegressionPts: 3, minInt8Agreement: 0.99, boardTolerancePts: 0, maxClassDropPts: null }

export interface QaCheck {
  id: 'student_vp' | 'student_class' | 'teacher_vp' | 'boards' | 'int8_agreement'
  title: string
  passed: boolean
  /** The measured figure and the limit, for the report. */
  measured: number
  limit: number
  detail: string
}

export interface QaBoardResult {
  boardId: string
  /** Accuracy of the current student S_r on the board's private test data, as the board reported it. */
  before: number
  /** Accuracy of the candidate on the same data, reported by the board after a trial (null if not measured). */
  after: number | null
}

export interface QaReport {
  candidateId: string
  baseStudentId: string
  teacherBeforeId: string
  teacherAfterId: string
  passed: boolean
  /** One line per failed check, for people. */
  reasons: string[]
  checks: QaCheck[]
  policy: QaPolicy
  /** Classes whose V_p accuracy the gate guards for the student (in users' data, not relabelled). */
  guardedStudentClasses: number[]
  /** Classes guarded for the teacher (all but the relabelled ones). */
  guardedTeacherClasses: number[]
  relabelledClasses: number[]
  /** Per-class V_p accuracy before and after, student and teacher; NaN where a class has no samples. */
  perClass: { student: { before: number[]; after: number[] }; teacher: { before: number[]; after: number[] } }
  /** Overall V_p accuracy. */
  overall: { studentBefore: number; studentAfter: number; teacherBefore: number; teacherAfter: number }
  /** The largest drop of any class on V_p for the student (collateral regression), in points. */
  maxClassDropPts: number
  int8Agreement: number
  boards: QaBoardResult[]
  createdAt: string
}
