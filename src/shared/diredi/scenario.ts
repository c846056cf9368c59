import { z } from 'zod'

/**
 * A scenario file: how each board's private data differs from the manufacturer's presumed data
 * (docs/method.md §11). Scenarios are data so users can write their own; this schema is the whole
 * format. Dataset-dependent checks (class ids in range, enough samples) happen when the scenario is
 * resolved against its dataset, and name the field too.
 */
const ClassId = z.number().int().nonnegative()

export const Prior = z
  .object({
    classes: z.array(ClassId).min(1, 'list at least one class'),
    weights: z.array(z.number().positive('weights must be > 0')).optional()
  })
  .strict()
  .refine((p) => !p.weights || p.weights.length === p.classes.length, { message: 'weights must have one entry per class', path: ['weights'] })
  .refine((p) => new Set(p.classes).size === p.classes.length, { message: 'a class is listed twice', path: ['classes'] })

export const Preference = z
  .object({
    /** { "5": 7 }: the user labels the manufacturer's class 5 as 7. */
    relabel: z.record(z.string(), ClassId).superRefine((r, ctx) => {
      for (const k of Object.keys(r)) {
        if (!/^\d+$/.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: `relabel keys are class ids like "5", got "${k}"` })
      }
    })
  })
  .strict()

export const Covariate = z
  .object({
    invert: z.boolean().optional(),
    rotate_deg: z.number().min(-180).max(180).optional(),
    /** Standard deviation of added Gaussian noise, in units of the value range (0..1). */
    noise: z.number().min(0).max(1).optional(),
    /** Gaussian blur sigma in pixels. */
    blur: z.number().min(0).max(5).optional(),
    /** Added to every value (0..1 range), clamped. */
    brightness: z.number().min(-1).max(1).optional()
  })
  .strict()

export const BoardEntry = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'board ids are 1-64 letters, digits, dot, dash or underscore'),
    samples: z.number().int().positive().max(1_000_000),
    test_samples: z.number().int().positive().max(1_000_000),
    prior: Prior.optional(),
    preference: Preference.optional(),
    covariate: Covariate.optional(),
    /** What the board may adapt on itself (docs/method.md §3); `tutor` boards can also run the tutor form. */
    adapt: z.enum(['head', 'all', 'tutor']).optional(),
    /** The board's budget for its student, in KB of int8 weights and KB of activation RAM. */
    flash_kb: z.number().positive().optional(),
    ram_kb: z.number().positive().optional()
  })
  .strict()

/** The models of the run: the teacher the manufacturer starts from and the student's budget (optional; defaults hold). */
export const Models = z
  .object({
    /** `auto`: the console's default teacher for the data (a CNN for images); `mlp`: dense 512-256 (faster). */
    teacher: z.enum(['auto', 'mlp']).optional(),
    teacher_epochs: z.number().int().min(1).max(200).optional(),
    /** The student's int8 weight budget in KB (default: the smallest flash_kb of the boards, else 32). */
    student_budget_kb: z.number().positive().max(100_000).optional(),
    student_family: z.enum(['auto', 'dense', 'conv', 'dsconv']).optional(),
    student_epochs: z.number().int().min(1).max(200).optional()
  })
  .strict()

/** The round's settings (docs/method.md §3, §5, §6); the API's and CLI's options override them. */
export const Tuning = z
  .object({
    board_epochs: z.number().int().min(1).max(500).optional(),
    board_lr: z.number().positive().max(1).optional(),
    /** Learning rate of boards that adapt their head only (one layer moves further per step). */
    board_lr_head: z.number().positive().max(1).optional(),
    mu: z.number().min(0).max(1e6).optional(),
    lambda: z.number().min(0).max(1e6).optional(),
    beta: z.number().min(0).max(100).optional(),
    gamma: z.number().min(0).max(1).optional(),
    update_epochs: z.number().int().min(1).max(200).optional(),
    /** Step 6: the re-distillation's epochs and its proximal pull toward the boards' adapted students. */
    redistil_epochs: z.number().int().min(1).max(200).optional(),
    redistil_mu: z.number().min(0).max(1e6).optional(),
    /** Tutor form: the share of the tutors' delta the console adds to the teacher (lambda of that form). */
    tutor_scale: z.number().min(0).max(10).optional(),
    /** QA policy (docs/method.md §7): points the guarded V_p accuracy may fall (default 3), and an optional per-class limit. */
    max_regression_pts: z.number().min(0).max(100).optional(),
    max_class_drop_pts: z.number().min(0).max(100).optional(),
    /** Points a board's accuracy on its own test data may fall in QA check (b) (default 0: it may not fall). */
    board_tolerance_pts: z.number().min(0).max(100).optional(),
    /** Optional privacy on the boards (docs/method.md §3): clip the delta's L2 norm to `clip` and add Gaussian noise of std sigma * clip. */
    clip: z.number().positive().max(1e6).optional(),
    sigma: z.number().min(0).max(1e3).optional()
  })
  .strict()

export const Scenario = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().max(2000).optional(),
    dataset: z.string().min(1),
    seed: z.number().int().default(1),
    models: Models.optional(),
    tuning: Tuning.optional(),
    presumed: z.object({ fraction: z.number().gt(0).lt(1) }).strict(),
    boards: z.array(BoardEntry).min(1, 'a scenario needs at least one board').max(1000)
  })
  .strict()
  .refine((s) => new Set(s.boards.map((b) => b.id)).size === s.boards.length, { message: 'board ids must be unique', path: ['boards'] })

export type Scenario = z.output<typeof Scenario>
export type BoardEntry = z.output<typeof BoardEntry>
export type Covariate = z.output<typeof Covariate>

/** Turns zod issues into one line per problem: `boards.1.prior.weights: weights must have one entry per class`. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string[] {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(scenario)'}: ${i.message}`)
}
