import type { ExperimentReport, MethodRow, RoundReport, RoundSummary, ScenarioSummary, TeacherLine } from '../../../shared/api/diredi'
import type { JobInfo } from '../../../shared/api/jobs'
import { DEFAULT_QA_POLICY, type QaReport } from '../../../shared/diredi/qa'

/** DiReDi report builders for store and component tests: plausible figures, overridden per test. */
export const qaReport = (over: Partial<QaReport> = {}): QaReport => ({
  candidateId: 's-cand', baseStudentId: 's-base', teacherBeforeId: 't-1', teacherAfterId: 't-2', passed: true, reasons: [],
  checks: [
    { id: 'student_vp', title: 'Student on V_p, classes the users hold and did not relabel', passed: true, measured: 1.25, limit: 3, detail: '90.0% -> 88.8% over classes [0,1]' },
    { id: 'teacher_vp', title: 'Teacher on V_p, classes nobody relabelled', passed: true, measured: -0.5, limit: 3, detail: '95.0% -> 95.5% over classes [0,1,2]' },
    { id: 'boards', title: "Boards' accuracy on their own test data", passed: true, measured: 0, limit: 0, detail: '2 boards, none fell' },
    { id: 'int8_agreement', title: 'int8 artifact agrees with the float student on V_p', passed: true, measured: 0.995, limit: 0.99, detail: '99.5% agreement' }
  ],
  policy: DEFAULT_QA_POLICY, guardedStudentClasses: [0, 1], guardedTeacherClasses: [0, 1, 2], relabelledClasses: [],
  // JSON turns the console's NaN (a class with no samples) into null
  perClass: { student: { before: [0.9, 0.8, null as unknown as number], after: [0.92, 0.79, null as unknown as number] }, teacher: { before: [0.95, 0.9, 0.97], after: [0.96, 0.9, 0.97] } },
  overall: { studentBefore: 0.85, studentAfter: 0.855, teacherBefore: 0.94, teacherAfter: 0.943 },
  maxClassDropPts: 1, int8Agreement: 0.995, boards: [{ boardId: 'b1', before: 0.7, after: 0.9 }, { boardId: 'b2', before: 0.6, after: null }], createdAt: '2026-01-01T00:01:00Z', ...over
})

export const roundReport = (id: string, over: Partial<RoundReport> = {}): RoundReport => ({
  id, scenario: 'prior-3', round: 1, jobId: 'job-1', startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T00:01:00Z', seconds: 60,
  outcome: 'rolled-out', summary: 'knowledge from 2 boards; candidate passed QA and went to 2 boards',
  teacherBefore: 't-1', teacherAfter: 't-2', studentBefore: 's-base', candidate: 's-cand', artifact: 'a-1', privacy: null,
  boards: [
    { boardId: 'b1', adapt: 'head', nTrain: 600, nTest: 400, accBefore: 0.7, accAdapted: 0.93, accCandidate: 0.9, knowledgeBytes: 1400, error: null },
    { boardId: 'b2', adapt: 'all', nTrain: 600, nTest: 400, accBefore: 0.6, accAdapted: null, accCandidate: null, knowledgeBytes: 0, error: 'adaptation failed: out of memory' }
  ],
  inbox: [
    { boardId: 'b1', at: '2026-01-01T00:00:30Z', accepted: true, bytes: 1400, deltaNorm: 0.4321, nTrain: 600, accBefore: 0.7, accAfter: 0.93, form: 'student' },
    { boardId: 'b2', at: '2026-01-01T00:00:31Z', accepted: false, code: 'NONCE_REPLAYED', reason: 'nonce seen before', bytes: 1400 }
  ],
  ledger: {
    roundId: id,
    boards: [
      { boardId: 'b1', bytesByType: { KNOWLEDGE: 1500, HELLO: 40 }, framesByType: { KNOWLEDGE: 2, HELLO: 1 }, knowledgeBytes: 1400, privateDataBytes: 784_000, rawSamplesUploaded: 0 },
      { boardId: 'b2', bytesByType: { HELLO: 40, STATUS: 24 }, framesByType: { HELLO: 1, STATUS: 1 }, knowledgeBytes: 0, privateDataBytes: null, rawSamplesUploaded: 0 }
    ],
    totals: { bytes: 1604, knowledgeBytes: 1400, privateDataBytes: 784_000, rawSamplesUploaded: 0 }
  },
  qa: qaReport(), rollout: { boards: 2, succeeded: 2, failed: 0 },
  metrics: { accUserBefore: 0.65, accUserAfter: 0.9, accPresumedBefore: 0.85, accPresumedAfter: 0.855, maxClassDropPts: 1 }, ...over
})

export const roundSummary = (id: string, over: Partial<RoundSummary> = {}): RoundSummary => {
  const r = roundReport(id)
  return { id, scenario: r.scenario, round: r.round, jobId: r.jobId, startedAt: r.startedAt, seconds: r.seconds, outcome: r.outcome, summary: r.summary, teacherBefore: r.teacherBefore, teacherAfter: r.teacherAfter, candidate: r.candidate, accepted: 1, rejected: 1, qaPassed: true, ...over }
}

const row = (method: MethodRow['method'], round: number, accUser: number, over: Partial<MethodRow> = {}): MethodRow => ({
  method, round, acc_user: accUser, acc_presumed: 0.85, max_class_drop: 1, raw_samples_uploaded: 0, knowledge_bytes: 0, seconds: 3, qa_passed: null, note: null, ...over
})

export const experimentReport = (id: string, over: Partial<ExperimentReport> = {}): ExperimentReport => {
  const perRound = [
    row('none', 1, 0.6), row('local', 1, 0.9, { max_class_drop: 12 }), row('oracle', 1, 0.92, { raw_samples_uploaded: 1200 }),
    row('diredi', 1, 0.8, { qa_passed: true, knowledge_bytes: 2800 }), row('diredi', 2, 0.88, { qa_passed: true, knowledge_bytes: 2800 })
  ]
  return {
    id, scenario: 'prior-3', dataset: 'mnist', seed: 7, rounds: 2, startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T00:10:00Z',
    table: perRound.filter((r) => !(r.method === 'diredi' && r.round === 1)), perRound,
    yardstick: { gainDiredi: 0.28, gainLocal: 0.3, gainOracle: 0.32, share: 0.875, met: true }, files: [], ...over
  }
}

export const scenario = (name: string, over: Partial<ScenarioSummary> = {}): ScenarioSummary => ({
  name, file: `/scenarios/${name}.json`, dataset: 'mnist', boards: 3, shifts: ['prior'], description: null, ...over
})

export const teacherLine = (currentId: string): TeacherLine => ({
  line: 't-1', currentId,
  versions: ['t-1', 't-2', 't-3'].map((id, i) => ({
    id, name: `teacher-r${i}`, createdAt: `2026-01-0${i + 1}T00:00:00Z`, parentId: i ? `t-${i}` : null, knowledge: i ? [`round-${i}/b1`] : [], testAcc: 0.9 + i / 100, current: id === currentId
  }))
})

export const direDiJob = (id: string, over: Partial<JobInfo> = {}): JobInfo => ({
  id, kind: 'diredi.round', title: 'DiReDi round on prior-3', state: 'running', progress: 0.25, etaSeconds: 40, metrics: {}, params: {}, result: null, error: null,
  createdAt: '2026-01-01T00:00:00Z', startedAt: '2026-01-01T00:00:00Z', endedAt: null, ...over
})
