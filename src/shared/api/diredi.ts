import { z } from 'zod'
import { method } from './define'
import type { JobInfo } from './jobs'
import type { Ledger } from '../diredi/ledger'
import type { QaReport } from '../diredi/qa'

/**
 * The DiReDi loop as the UI and the CLI reach it (docs/method.md): scenarios, rounds on virtual boards over
 * the real board link, the experiment harness with its baselines, knowledge inboxes, privacy ledgers,
 * QA reports, and teacher versions with restore.
 */

/** A scenario: a name from the scenario library (shipped `scenarios/` and `<dataDir>/scenarios`) or a file path. */
const ScenarioRef = z.string().min(1).max(4096)
const Id = z.string().min(1).max(200)

export const METHODS = ['none', 'local', 'delta-avg', 'oracle', 'diredi', 'diredi-tutor'] as const
export type MethodId = (typeof METHODS)[number]

export interface ScenarioSummary {
  name: string
  /** Where it was read from. */
  file: string
  dataset: string
  boards: number
  /** The shifts its boards carry, e.g. ['prior', 'covariate']. */
  shifts: string[]
  description: string | null
}

/** One inbox entry: a knowledge message as the console judged it (docs/method.md §4). */
export interface InboxRecord {
  boardId: string | null
  at: string
  accepted: boolean
  /** Why it was refused (a stable code) and the reason in words. */
  code?: string
  reason?: string
  bytes: number
  /** For accepted knowledge: the delta's norm, n_b, and the board's own accuracies (aggregates). */
  deltaNorm?: number
  nTrain?: number
  accBefore?: number
  accAfter?: number
  form?: 'student' | 'tutor'
}

export interface RoundBoard {
  boardId: string
  adapt: 'head' | 'all' | 'tutor'
  nTrain: number
  nTest: number
  /** The board's accuracy on its own test data: the dispatched student, its adapted copy, the candidate. */
  accBefore: number | null
  accAdapted: number | null
  accCandidate: number | null
  knowledgeBytes: number
  /** Set when the board could not take part (unreachable, adaptation failed), with the reason. */
  error: string | null
}

/** `qa-passed`: the gate passed but the round only measured (an experiment), so nothing was rolled out. */
export type RoundOutcome = 'rolled-out' | 'qa-passed' | 'qa-failed' | 'no-knowledge' | 'failed'

export interface RoundReport {
  id: string
  scenario: string
  /** 1-based number of this round within its run. */
  round: number
  jobId: string | null
  startedAt: string
  endedAt: string
  seconds: number
  outcome: RoundOutcome
  /** One line for people: what happened and why. */
  summary: string
  teacherBefore: string
  teacherAfter: string | null
  studentBefore: string
  candidate: string | null
  /** The artifact that was rolled out (passing candidate), if any. */
  artifact: string | null
  boards: RoundBoard[]
  inbox: InboxRecord[]
  ledger: Ledger
  qa: QaReport | null
  rollout: { boards: number; succeeded: number; failed: number } | null
  /**
   * The boards' optional privacy step (docs/method.md §3): clip C, noise multiplier sigma, and the
   * (epsilon, delta) of one round's release by the Gaussian mechanism, epsilon = sqrt(2 ln(1.25/delta)) / sigma
   * (valid for sigma >= sqrt(2 ln(1.25/delta)), i.e. epsilon <= 1); rounds compose (epsilons add). Null when off.
   */
  privacy: { clip: number; sigma: number; epsilon: number | null; delta: number } | null
  /** Users' accuracy (mean over boards, measured by the boards) and V_p accuracy of the student in service after the round. */
  metrics: { accUserBefore: number; accUserAfter: number; accPresumedBefore: number; accPresumedAfter: number; maxClassDropPts: number }
}

export type RoundSummary = Pick<RoundReport, 'id' | 'scenario' | 'round' | 'jobId' | 'startedAt' | 'seconds' | 'outcome' | 'summary' | 'teacherBefore' | 'teacherAfter' | 'candidate'> & {
  accepted: number
  rejected: number
  qaPassed: boolean | null
}

/** One method's figures in one round of an experiment (docs/method.md §10). */
export interface MethodRow {
  method: MethodId
  round: number
  acc_user: number
  acc_presumed: number
  max_class_drop: number
  raw_samples_uploaded: number
  knowledge_bytes: number
  seconds: number
  /** The QA gate's verdict where the method has one (diredi, diredi-tutor), else null. */
  qa_passed: boolean | null
  note: string | null
}

export interface ExperimentReport {
  id: string
  scenario: string
  dataset: string
  seed: number
  rounds: number
  startedAt: string
  endedAt: string
  /** The last round's row of every method. */
  table: MethodRow[]
  /** Every method's row in every round (none, local and oracle have one). */
  perRound: MethodRow[]
  /** The yardstick of docs/method.md §10: gains in acc_user over `none`, and DiReDi's gain as a share of the larger of oracle's and local's. */
  yardstick: { gainDiredi: number; gainLocal: number; gainOracle: number; share: number; met: boolean }
  /** Files written with --out (table JSON, chart). */
  files: string[]
}

export type ExperimentSummary = Pick<ExperimentReport, 'id' | 'scenario' | 'rounds' | 'startedAt' | 'endedAt' | 'yardstick'>

export interface TeacherVersion {
  id: string
  name: string
  createdAt: string
  parentId: string | null
  /** The knowledge it was made from: `round-id/board-id` entries. */
  knowledge: string[]
  testAcc: number | null
  current: boolean
}

export interface TeacherLine {
  /** The root teacher's id names the line. */
  line: string
  currentId: string
  versions: TeacherVersion[]
}

const Tuning = {
  /** Boards' adaptation epochs and learning rate, and the proximal weight (docs/method.md §3). */
  boardEpochs: z.number().int().min(1).max(500).optional(),
  boardLr: z.number().positive().max(1).optional(),
  mu: z.number().min(0).max(1e6).optional(),
  /** lambda of step 5, beta and gamma of step 6. */
  lambda: z.number().min(0).max(1e6).optional(),
  beta: z.number().min(0).max(100).optional(),
  gamma: z.number().min(0).max(1).optional()
}

export const RoundParams = z
  .object({
    scenario: ScenarioRef,
    teacher: Id.optional(),
    rounds: z.number().int().min(1).max(50).optional(),
    /** Use the scenario's boards found on the console's ports (`diredi emulate --scenario`, USB) instead of in-process ones. */
    onPorts: z.boolean().optional(),
    ...Tuning
  })
  .strict()
export const ExperimentParams = z
  .object({
    scenario: ScenarioRef,
    rounds: z.number().int().min(1).max(20).optional(),
    methods: z.array(z.enum(METHODS)).min(1).optional(),
    out: z.string().min(1).max(4096).optional(),
    ...Tuning
  })
  .strict()
export type RoundRequest = z.output<typeof RoundParams>
export type ExperimentRequest = z.output<typeof ExperimentParams>

export const direDiMethods = {
  'diredi.scenarios': method<ScenarioSummary[]>()(z.object({}).strict(), 'Scenarios in the library (shipped and in the data directory)'),
  'diredi.round': method<JobInfo>()(RoundParams, 'Start a job that runs DiReDi rounds on virtual boards from a scenario (also the demo)'),
  'diredi.experiment': method<JobInfo>()(ExperimentParams, 'Start a job that runs every method of the baseline table on a scenario'),
  'diredi.rounds': method<RoundSummary[]>()(z.object({ limit: z.number().int().positive().max(10_000).optional() }).strict(), 'Rounds run so far, newest first'),
  'diredi.roundReport': method<RoundReport>()(z.object({ id: Id }).strict(), "One round's report: boards, knowledge inbox, privacy ledger, QA"),
  'diredi.qaHtml': method<{ html: string; fileName: string }>()(z.object({ round: Id }).strict(), "A round's QA report as a standalone HTML page"),
  'diredi.experiments': method<ExperimentSummary[]>()(z.object({}).strict(), 'Experiments run so far, newest first'),
  'diredi.experimentReport': method<ExperimentReport>()(z.object({ id: Id }).strict(), "One experiment's table and rounds"),
  'diredi.chartSvg': method<{ svg: string }>()(z.object({ experiment: Id }).strict(), "An experiment's chart (accuracy per method and round) as SVG"),
  'diredi.teachers': method<TeacherLine[]>()(z.object({}).strict(), 'Teacher lines: every version with its lineage, and which is current'),
  'diredi.restoreTeacher': method<TeacherLine>()(z.object({ id: Id }).strict(), 'Make an earlier teacher version the current one of its line')
}
