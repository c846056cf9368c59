import type { RoundBoard, RoundReport } from '../../../shared/api/diredi'
import type { SpecModel } from '../../../shared/model/spec'
import type { MlService } from '../../ml/service'
import type { Registry } from '../../store/types'
import type { FleetDeps, LabFleet } from '../fleet-ops'
import type { PrivacyLedger } from '../ledger'
import type { ArtifactRef, Base, ModelRef } from '../setup'
import type { TeacherLines } from '../teachers'
import type { VpMeasure } from './vp'

export interface RoundDeps extends FleetDeps {
  registry: Registry
  ml: MlService
  teachers: TeacherLines
}

export interface RoundCtx {
  signal: AbortSignal
  jobId: string | null
  log(line: string): void
  /** 0..1 within this round. */
  progress(f: number, metrics?: Record<string, number>): void
}

/** Where a round starts: the teacher T_r, the student S_r in service and its artifact A_r. */
export interface RoundStart {
  teacher: ModelRef
  student: ModelRef
  artifact: ArtifactRef
}

/** Which form each board runs (docs/method.md §3, or the tutor form §8), and whether the gate decides (or the round is a baseline). */
export interface RoundMode {
  form(boardId: string): 'head' | 'all' | 'tutor'
  /** false: skip teacher and QA (the delta-avg baseline folds deltas into the student directly). */
  teacherStep: boolean
  /** Roll a passing candidate out (true), or leave the boards as they were (an experiment measures instead). */
  rollOut: boolean
  number: number
  /** Overrides of mu for the boards (local baseline: 0). */
  mu?: number
}

export interface RoundOutput {
  report: RoundReport
  /** The state after the round: what the next one starts from. */
  next: RoundStart
  candidate: ModelRef | null
  candidateArtifact: ArtifactRef | null
  /** Each accepted board's adapted student S_b (rebuilt from its delta), for the baselines. */
  adapted: Map<string, SpecModel>
  knowledgeBytes: number
}

/** One round in progress: what it was asked, the boards it holds open, and what it has recorded so far. */
export interface Round {
  deps: RoundDeps
  base: Base
  start: RoundStart
  mode: RoundMode
  ctx: RoundCtx
  id: string
  startedAt: string
  /** performance.now() when the round began. */
  t0: number
  fleet: LabFleet
  ledger: PrivacyLedger
  /** The report's row of each board, filled in step by step. */
  rows: Map<string, RoundBoard>
  /** Each model's predictions on V_p, computed once. */
  vp: VpMeasure
}
