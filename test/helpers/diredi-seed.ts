/**
 * What finished DiReDi rounds and an experiment leave in a data directory, written the way the console
 * writes them (report JSON under <dataDir>/diredi/, teachers in the registry with their lineage), so
 * the UI can be tested against a real `diredi serve` before the round job exists. The QA reports are
 * real: the console's own gate (qaGate) judges made-up V_p predictions.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ExperimentReport, MethodRow, RoundReport } from '../../src/shared/api/diredi'
import { DEFAULT_QA_POLICY, type QaReport } from '../../src/shared/diredi/qa'
import type { Ledger } from '../../src/shared/diredi/ledger'
import { qaGate } from '../../src/main/diredi/qa'
import { openRegistry } from '../../src/main/store/registry'
import { inferShapes, weightName, type ModelSpec, type SpecModel } from '../../src/shared/model/spec'

const dense: ModelSpec = { inputShape: [28, 28, 1], classes: 10, layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'linear' }] }

/** Deterministic weights scaled by k, so versions differ in content and so in id. */
function specModel(k: number): SpecModel {
  const tensors = inferShapes(dense).weights.flatMap((shapes, i) =>
    shapes.map((shape, j) => ({ name: weightName(i, j === 0 ? 'kernel' : 'bias'), shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, x) => Math.sin(x * k) * 0.05) }))
  )
  return { spec: dense, weights: { tensors } }
}

/** Three teacher versions of one line: the trained one, then one per round, each naming its parent and knowledge. */
export async function seedTeachers(dataDir: string) {
  const reg = await openRegistry(dataDir)
  const t1 = await reg.models.put('teacher', specModel(1), { name: 'teacher-mnist', lineage: {}, metrics: { testAcc: 0.962 } })
  await sleep(5) // distinct createdAt: versions are ordered by it
  const t2 = await reg.models.put('teacher', specModel(2), { name: 'teacher-mnist-r1', lineage: { parentId: t1.id, knowledge: ['round-1/b1', 'round-1/b2'] }, metrics: { testAcc: 0.965 } })
  await sleep(5)
  const t3 = await reg.models.put('teacher', specModel(3), { name: 'teacher-mnist-r2', lineage: { parentId: t2.id, knowledge: ['round-2/b1'] }, metrics: { testAcc: 0.967 } })
  return { t1, t2, t3 }
}

/** Predictions on a V_p of 50 samples per class: `wrong[c]` of class c's samples go to the next class. */
function predictions(y: number[], wrong: number[]): number[] {
  const seen = new Array<number>(10).fill(0)
  return y.map((c) => (seen[c]++ < wrong[c] ? (c + 1) % 10 : c))
}

function qa(ids: { candidate: string; teacherBefore: string; teacherAfter: string }, studentAfterWrong: number[], int8Agreement: number): QaReport {
  const y = Array.from({ length: 500 }, (_, i) => i % 10)
  return qaGate({
    ids: { ...ids, baseStudent: 's-base' },
    classes: 10,
    vp: {
      y,
      studentBefore: predictions(y, [5, 3, 6, 7, 4, 8, 5, 6, 9, 7]),
      studentAfter: predictions(y, studentAfterWrong),
      teacherBefore: predictions(y, [2, 1, 3, 3, 2, 4, 2, 3, 4, 3]),
      teacherAfter: predictions(y, [2, 1, 2, 3, 2, 3, 2, 3, 4, 3])
    },
    userClassCounts: [300, 0, 0, 180, 0, 0, 0, 120, 0, 0],
    relabelledClasses: [],
    int8Agreement,
    boards: [{ boardId: 'b1', before: 0.81, after: 0.9 }, { boardId: 'b2', before: 0.77, after: 0.85 }],
    policy: DEFAULT_QA_POLICY
  })
}

function ledger(roundId: string): Ledger {
  const board = (boardId: string, knowledge: number) => ({
    boardId, bytesByType: { HELLO: 48, STATUS: 96, KNOWLEDGE: knowledge + 64 }, framesByType: { HELLO: 1, STATUS: 2, KNOWLEDGE: 1 }, knowledgeBytes: knowledge, privateDataBytes: 1000 * 784, rawSamplesUploaded: 0 as const
  })
  const boards = [board('b1', 2750), board('b2', 2750)]
  return { roundId, boards, totals: { bytes: boards.reduce((a, b) => a + 48 + 96 + b.knowledgeBytes + 64, 0), knowledgeBytes: 5500, privateDataBytes: 2 * 784_000, rawSamplesUploaded: 0 } }
}

function round(id: string, n: number, teachers: { before: string; after: string }, q: QaReport, startedAt: string): RoundReport {
  const passed = q.passed
  return {
    id, scenario: 'prior-3', round: n, jobId: null, startedAt, endedAt: startedAt, seconds: 42.5, privacy: null,
    outcome: passed ? 'rolled-out' : 'qa-failed',
    summary: passed ? '2 boards sent knowledge, 1 message refused; the candidate passed QA and was rolled out to 2 boards' : `the candidate failed QA: ${q.reasons.join('; ')}`,
    teacherBefore: teachers.before, teacherAfter: teachers.after, studentBefore: 's-base', candidate: q.candidateId, artifact: passed ? 'a-0123456789ab' : null,
    boards: [
      { boardId: 'b1', adapt: 'head', nTrain: 600, nTest: 400, accBefore: 0.81, accAdapted: 0.93, accCandidate: 0.9, knowledgeBytes: 2750, error: null },
      { boardId: 'b2', adapt: 'all', nTrain: 600, nTest: 400, accBefore: 0.77, accAdapted: 0.91, accCandidate: 0.85, knowledgeBytes: 2750, error: null },
      { boardId: 'b3', adapt: 'head', nTrain: 600, nTest: 400, accBefore: 0.8, accAdapted: null, accCandidate: null, knowledgeBytes: 0, error: 'the board did not answer within 10 s; check its link' }
    ],
    inbox: [
      { boardId: 'b1', at: startedAt, accepted: true, bytes: 2750, deltaNorm: 0.8123, nTrain: 600, accBefore: 0.81, accAfter: 0.93, form: 'student' },
      { boardId: 'b2', at: startedAt, accepted: true, bytes: 2750, deltaNorm: 1.0456, nTrain: 600, accBefore: 0.77, accAfter: 0.91, form: 'student' },
      { boardId: 'b2', at: startedAt, accepted: false, code: 'NONCE_REPLAYED', reason: 'this nonce was seen before (a replayed message); nothing applied', bytes: 2750 }
    ],
    ledger: ledger(id),
    qa: q,
    rollout: passed ? { boards: 2, succeeded: 2, failed: 0 } : null,
    metrics: { accUserBefore: 0.79, accUserAfter: passed ? 0.875 : 0.79, accPresumedBefore: q.overall.studentBefore, accPresumedAfter: passed ? q.overall.studentAfter : q.overall.studentBefore, maxClassDropPts: q.maxClassDropPts }
  }
}

const row = (method: MethodRow['method'], r: number, accUser: number, over: Partial<MethodRow> = {}): MethodRow => ({
  method, round: r, acc_user: accUser, acc_presumed: 0.91, max_class_drop: 1.2, raw_samples_uploaded: 0, knowledge_bytes: 0, seconds: 4.2, qa_passed: null, note: null, ...over
})

function experiment(): ExperimentReport {
  const perRound = [
    row('none', 1, 0.79),
    row('local', 1, 0.9, { acc_presumed: 0.78, max_class_drop: 24.5, seconds: 6.1 }),
    row('delta-avg', 1, 0.84, { knowledge_bytes: 5500 }),
    row('delta-avg', 2, 0.85, { knowledge_bytes: 5500 }),
    row('oracle', 1, 0.92, { raw_samples_uploaded: 1800, note: 'raw data uploaded: a privacy violation' }),
    row('diredi', 1, 0.87, { knowledge_bytes: 5500, qa_passed: true, seconds: 40.2 }),
    row('diredi', 2, 0.9, { knowledge_bytes: 5500, qa_passed: true, seconds: 39.8 }),
    row('diredi-tutor', 1, 0.85, { knowledge_bytes: 91_000, qa_passed: true }),
    row('diredi-tutor', 2, 0.86, { knowledge_bytes: 91_000, qa_passed: false })
  ]
  const last = (m: string) => perRound.filter((r) => r.method === m).at(-1) as MethodRow
  const table = ['none', 'local', 'delta-avg', 'oracle', 'diredi', 'diredi-tutor'].map(last)
  const gain = (m: string) => last(m).acc_user - 0.79
  const share = gain('diredi') / Math.max(gain('local'), gain('oracle'))
  return {
    id: 'exp-prior-3-0001', scenario: 'prior-3', dataset: 'mnist', seed: 7, rounds: 2, startedAt: '2026-03-01T10:00:00.000Z', endedAt: '2026-03-01T10:06:00.000Z',
    table, perRound, yardstick: { gainDiredi: gain('diredi'), gainLocal: gain('local'), gainOracle: gain('oracle'), share, met: share >= 0.8 }, files: []
  }
}

export const SCENARIO = {
  name: 'prior-3', description: 'three boards that each meet only a few digits', dataset: 'mnist', seed: 7, presumed: { fraction: 0.5 },
  boards: [
    { id: 'b1', samples: 600, test_samples: 400, prior: { classes: [0, 3, 7], weights: [0.6, 0.3, 0.1] } },
    { id: 'b2', samples: 600, test_samples: 400, prior: { classes: [0, 3] } },
    { id: 'b3', samples: 600, test_samples: 400 }
  ]
}

/** Teachers, a scenario, two rounds (the second's candidate passes QA; the first's fails on int8 agreement) and an experiment. */
export async function seedDiredi(dataDir: string) {
  const t = await seedTeachers(dataDir)
  mkdirSync(join(dataDir, 'scenarios'), { recursive: true })
  writeFileSync(join(dataDir, 'scenarios', 'prior-3.json'), JSON.stringify(SCENARIO, null, 2))
  const failed = round('round-0001', 1, { before: t.t1.id, after: t.t2.id }, qa({ candidate: 's-cand-1', teacherBefore: t.t1.id, teacherAfter: t.t2.id }, [5, 3, 6, 7, 4, 8, 5, 6, 9, 7], 0.962), '2026-03-01T09:00:00.000Z')
  const passed = round('round-0002', 2, { before: t.t2.id, after: t.t3.id }, qa({ candidate: 's-cand-2', teacherBefore: t.t2.id, teacherAfter: t.t3.id }, [3, 4, 7, 5, 4, 9, 6, 5, 10, 7], 0.994), '2026-03-01T09:30:00.000Z')
  const dir = join(dataDir, 'diredi')
  for (const [sub, items] of [['rounds', [failed, passed]], ['experiments', [experiment()]]] as const) {
    mkdirSync(join(dir, sub), { recursive: true })
    for (const r of items) writeFileSync(join(dir, sub, `${r.id}.json`), JSON.stringify(r))
  }
  return { teachers: t, failed, passed, experiment: experiment() }
}
