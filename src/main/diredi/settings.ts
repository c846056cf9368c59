import type { Scenario } from '../../shared/diredi/scenario'
import { DEFAULT_QA_POLICY, type QaPolicy } from '../../shared/diredi/qa'

/** Everything a round and an experiment are tuned by (docs/method.md §1, §3, §5, §6), resolved once. */
export interface Settings {
  teacherEpochs: number
  studentEpochs: number
  budgetKb: number
  family: 'auto' | 'dense' | 'conv' | 'dsconv'
  /** Step 3: the boards' epochs, learning rate, proximal weight. */
  boardEpochs: number
  boardLr: number
  boardLrHead: number
  mu: number
  /** Step 5: lambda (the weight of the manufacturer's labels against the users' difference) and its epochs. */
  lambda: number
  updateEpochs: number
  /** Step 6: emphasis of where users differ (beta) and of their class mix (gamma); the re-distillation's epochs and anchor. */
  beta: number
  gamma: number
  redistilEpochs: number
  redistilMu: number
  /** Tutor form: the share of the tutors' delta added to the teacher. */
  tutorScale: number
  /** The QA gate's policy for this scenario. */
  qa: QaPolicy
  /** Board-side clipping and noise (0: off). */
  clip: number
  sigma: number
}

export function resolveSettings(s: Scenario, o: Partial<Settings>): Settings {
  const t = s.tuning ?? {}
  const m = s.models ?? {}
  const flash = s.boards.map((b) => b.flash_kb).filter((x): x is number => typeof x === 'number')
  const def: Settings = {
    teacherEpochs: m.teacher_epochs ?? 8,
    studentEpochs: m.student_epochs ?? 15,
    // A slot holds the artifact (int8 weights plus int32 biases, requantisation constants, header): the weights get 3/4 of the smallest slot.
    budgetKb: m.student_budget_kb ?? (flash.length ? Math.floor(Math.min(...flash) * 0.75) : 32),
    family: m.student_family ?? 'auto',
    boardEpochs: t.board_epochs ?? 10,
    boardLr: t.board_lr ?? 1e-3,
    boardLrHead: t.board_lr_head ?? 1e-2,
    mu: t.mu ?? 0.01,
    lambda: t.lambda ?? 30,
    updateEpochs: t.update_epochs ?? 5,
    beta: t.beta ?? 1,
    gamma: t.gamma ?? 0.8,
    redistilEpochs: t.redistil_epochs ?? m.student_epochs ?? 15,
    redistilMu: t.redistil_mu ?? t.mu ?? 0.01,
    tutorScale: t.tutor_scale ?? 0.25,
    clip: t.clip ?? 0,
    sigma: t.sigma ?? 0,
    qa: { ...DEFAULT_QA_POLICY, maxRegressionPts: t.max_regression_pts ?? DEFAULT_QA_POLICY.maxRegressionPts, maxClassDropPts: t.max_class_drop_pts ?? null, boardTolerancePts: t.board_tolerance_pts ?? DEFAULT_QA_POLICY.boardTolerancePts }
  }
  const clean = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Settings>
  return { ...def, ...clean }
}
