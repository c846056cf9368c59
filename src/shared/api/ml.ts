import { z } from 'zod'
import { method } from './define'
import type { JobInfo } from './jobs'
import type { ModelSpec } from '../model/spec'

/** A registry reference: an id (`ds-…`, `t-…`, `s-…`) or a unique name. */
const Ref = z.string().min(1).max(200)
const Name = z.string().min(1).max(100)

/** Training settings every training request accepts; the engine's defaults fill what is left out. */
const Training = {
  epochs: z.number().int().min(1).max(1000).optional(),
  batchSize: z.number().int().min(1).max(4096).optional(),
  lr: z.number().positive().max(1).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  /** Share of the training split held out for validation and early stopping (0..0.5). */
  valFraction: z.number().min(0).max(0.5).optional(),
  /** Stop after this many epochs without a better validation loss (0: never). */
  patience: z.number().int().min(0).max(1000).optional()
}

export const StudentFamily = z.enum(['auto', 'dense', 'conv', 'dsconv'])
export type StudentFamily = z.infer<typeof StudentFamily>

const Budget = {
  /** KB (1024 bytes) of int8 weights: kernels 1 byte per value, biases 4 bytes. */
  budgetKb: z.number().positive().max(1_000_000),
  /** KB of activation RAM: the peak over layers of int8 input + output; omitted: no limit. */
  ramKb: z.number().positive().max(1_000_000).optional(),
  family: StudentFamily.optional()
}

export const TeacherTrainParams = z
  .object({
    dataset: Ref,
    name: Name.optional(),
    ...Training,
    /** Shift each training image by up to 2 pixels each epoch (default: on for image datasets). */
    augment: z.boolean().optional()
  })
  .strict()
export const TeacherImportParams = z.object({ path: z.string().min(1).max(4096), name: Name.optional(), dataset: Ref.optional() }).strict()
export const DistillParams = z
  .object({
    teacher: Ref,
    dataset: Ref,
    ...Budget,
    name: Name.optional(),
    alpha: z.number().min(0).max(1).optional(),
    tau: z.number().positive().max(100).optional(),
    ...Training,
    /** One weight per class (docs/method.md §6), multiplied into every sample's weight. */
    classWeights: z.array(z.number().min(0).max(1e6)).min(1).max(100_000).optional(),
    /** One weight per training sample, w(x) of docs/method.md §1 and §6. */
    sampleWeights: z.array(z.number().min(0).max(1e6)).min(1).max(10_000_000).optional(),
    /** Start from this student's weights instead of fresh ones (its architecture is kept). */
    warmStart: Ref.optional(),
    /** Proximal anchor mu/2·||θ - θ_anchor||² toward this model's weights. */
    anchor: z.object({ model: Ref, mu: z.number().min(0).max(1e6) }).strict().optional()
  })
  .strict()
export const PlanParams = z.object({ dataset: Ref, ...Budget }).strict()
export const EvaluateParams = z.object({ model: Ref, dataset: Ref, split: z.enum(['test', 'train']).optional(), reference: Ref.optional() }).strict()

export type TeacherTrainRequest = z.output<typeof TeacherTrainParams>
export type DistillRequest = z.output<typeof DistillParams>

/** What a model needs on a board (1 KB = 1024 bytes). */
export interface FootprintInfo {
  params: number
  weightBytes: number
  ramBytes: number
  macs: number
  weightsKb: number
  ramKb: number
}

/** The student the factory picks for a budget. */
export interface StudentPlan {
  family: Exclude<StudentFamily, 'auto'>
  name: string
  spec: ModelSpec
  footprint: FootprintInfo
  /** How many candidate architectures fitted the budget. */
  fitted: number
  budget: { weightsKb: number; ramKb: number | null }
}

/** A float model's figures on one split of a dataset. */
export interface EvalReport {
  modelId: string
  datasetId: string
  split: 'test' | 'train'
  n: number
  accuracy: number
  perClass: Array<{ class: number; name: string; n: number; accuracy: number | null }>
  /** confusion[true][predicted]. */
  confusion: number[][]
  /** Share of samples where the model predicts what the reference (by default its teacher) predicts. */
  agreement: { referenceId: string; rate: number } | null
  seconds: number
}

export interface ModelSummary {
  id: string
  kind: 'teacher' | 'student'
  name: string
  params: number
  inputShape: number[]
  classes: number
}

export interface TeacherImportResult {
  model: ModelSummary
  evaluation: EvalReport | null
}

/** The result of a finished `teacher.train` job. */
export interface TeacherTrainResult {
  model: ModelSummary
  testAccuracy: number
  valAccuracy: number | null
  epochs: number
  ended: 'finished' | 'early-stopped'
  seconds: number
  backend: string
  workers: number
}

/** The result of a finished `distill` job. */
export interface DistillResult extends Omit<TeacherTrainResult, 'model'> {
  model: ModelSummary
  teacherId: string
  plan: StudentPlan
  /** Share of test samples on which student and teacher agree. */
  agreement: number
}

export const mlMethods = {
  'teacher.train': method<JobInfo>()(TeacherTrainParams, 'Start a job that trains a teacher on a dataset'),
  'teacher.import': method<TeacherImportResult>()(TeacherImportParams, 'Import a tfjs layers model (model.json + weights) as a teacher'),
  'distill.plan': method<StudentPlan>()(PlanParams, 'The student architecture the factory picks for a board budget'),
  'distill.start': method<JobInfo>()(DistillParams, 'Start a job that distils a student for a board budget from a teacher'),
  'models.evaluate': method<EvalReport>()(EvaluateParams, 'Accuracy, per-class accuracy, confusion and agreement of a model on a dataset')
}
