/**
 * What the registry keeps about each entry, as the console core and the UI both see it. Entries are
 * content-addressed: an id is a kind prefix plus the first 12 hex digits of the SHA-256 of the content.
 */
import type { ModelSpec } from './spec'

export interface DatasetRecord {
  /** `ds-` + first 12 hex of the content hash. */
  id: string
  /** Human name, unique among datasets (`mnist` for the built-in digits). */
  name: string
  /**
   * Other names this same content was put under later. Content addressing keeps one entry per content,
   * so a second name becomes an alias; names and aliases are unique together, and look-ups accept both.
   */
  aliases?: string[]
  /**
   * SHA-256 over the decoded samples and labels (format independent): the same samples, labels, shape and
   * class names give the same hash whether they came from IDX, CSV, image folders or the built-in set.
   */
  hash: string
  format: 'idx' | 'csv' | 'images' | 'builtin' | 'derived'
  /** Shape of one sample, e.g. [28, 28, 1] for images or [n_features] for CSV. */
  inputShape: number[]
  classes: number
  classNames: string[]
  splits: { train: number; test: number }
  /** Per class, how many train samples. */
  classCounts: number[]
  source: string[]
  createdAt: string
}

export type ModelKind = 'teacher' | 'student'

export interface ModelRecord {
  /** `t-` or `s-` + first 12 hex of the content hash of spec + weights. */
  id: string
  kind: ModelKind
  /** Unique among models of the same kind. */
  name: string
  /** Other names the same kind and content was put under later (see DatasetRecord.aliases). */
  aliases?: string[]
  hash: string
  spec: ModelSpec
  params: number
  /** Where it came from: the dataset, the teacher it was distilled from, the job, the knowledge it folds in. */
  lineage: {
    datasetId?: string
    teacherId?: string
    parentId?: string
    jobId?: string
    knowledge?: string[]
    imported?: string
  }
  /** Measured figures, e.g. { testAcc: 0.981 }. */
  metrics: Record<string, number>
  /** Free-form facts worth keeping (hyperparameters, the budget a student was made for). */
  meta: Record<string, unknown>
  createdAt: string
}

export interface ArtifactRecord {
  /** `a-` + first 12 hex of the artifact's SHA-256. */
  id: string
  /** SHA-256 of the artifact bytes: what a board verifies its slot against. */
  hash: string
  modelId: string
  bytes: number
  format: 'diredi-int8'
  formatVersion: number
  metrics: Record<string, number>
  createdAt: string
}
