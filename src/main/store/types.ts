/**
 * The registry's interface, as the rest of the console uses it (implemented in registry.ts).
 * Everything lives under <dataDir>; every entry is content-addressed (its id derives from a SHA-256 of
 * its content), written atomically, and carries its lineage.
 */
import type { ModelSpec, SpecModel } from '../../shared/model/spec'

/** One split of a dataset, decoded for training: row-major samples and integer labels. */
export interface DatasetSplit {
  /** n * prod(inputShape) values, scaled to [0, 1] for image data (pixels / 255), raw for CSV features. */
  x: Float32Array
  /** n labels in [0, classes). */
  y: Int32Array
  n: number
}

export interface DatasetRecord {
  /** `ds-` + first 12 hex of the content hash. */
  id: string
  /** Human name, unique in the registry (`mnist` for the built-in digits). */
  name: string
  /** SHA-256 over the decoded samples and labels (format independent). */
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

export interface LoadedDataset {
  record: DatasetRecord
  train: DatasetSplit
  test: DatasetSplit
}

export type ModelKind = 'teacher' | 'student'

export interface ModelRecord {
  /** `t-` or `s-` + first 12 hex of the content hash of spec + weights. */
  id: string
  kind: ModelKind
  name: string
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

export interface Registry {
  readonly root: string
  datasets: {
    list(): Promise<DatasetRecord[]>
    /** By id or name; throws AppError NOT_FOUND naming what was asked. */
    get(ref: string): Promise<DatasetRecord>
    load(ref: string): Promise<LoadedDataset>
    /** Stores an already decoded dataset (importers and derived sets use this). Same content: same record. */
    put(input: { name: string; format: DatasetRecord['format']; inputShape: number[]; classNames: string[]; train: DatasetSplit; test: DatasetSplit; source: string[] }): Promise<DatasetRecord>
    remove(ref: string): Promise<void>
  }
  models: {
    list(kind?: ModelKind): Promise<ModelRecord[]>
    get(ref: string): Promise<ModelRecord>
    load(ref: string): Promise<SpecModel>
    put(kind: ModelKind, model: SpecModel, info: { name: string; lineage: ModelRecord['lineage']; metrics?: Record<string, number>; meta?: Record<string, unknown> }): Promise<ModelRecord>
    /** Updates metrics/meta of an existing record (content, and so the id, never change). */
    annotate(ref: string, patch: { metrics?: Record<string, number>; meta?: Record<string, unknown> }): Promise<ModelRecord>
  }
  artifacts: {
    list(): Promise<ArtifactRecord[]>
    get(ref: string): Promise<ArtifactRecord>
    read(ref: string): Promise<Uint8Array>
    put(bytes: Uint8Array, info: { modelId: string; formatVersion: number; metrics?: Record<string, number> }): Promise<ArtifactRecord>
  }
}
