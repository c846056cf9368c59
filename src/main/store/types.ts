/**
 * The registry's interface, as the rest of the console uses it (implemented in registry.ts).
 * Everything lives under <dataDir>; every entry is content-addressed (its id derives from a SHA-256 of
 * its content), written atomically, and carries its lineage.
 */
import type { ArtifactRecord, DatasetRecord, ModelKind, ModelRecord } from '../../shared/model/records'
import type { SpecModel } from '../../shared/model/spec'

// The records live in src/shared so the API contract and the UI can name them; re-exported for the core.
export type { ArtifactRecord, DatasetRecord, ModelKind, ModelRecord }

/** One split of a dataset, decoded for training: row-major samples and integer labels. */
export interface DatasetSplit {
  /** n * prod(inputShape) values, scaled to [0, 1] for image data (pixels / 255), raw for CSV features. */
  x: Float32Array
  /** n labels in [0, classes). */
  y: Int32Array
  n: number
}

/**
 * A split as given to `datasets.put`: like DatasetSplit, but 8-bit data may come as a Uint8Array of raw
 * values (meaning value / 255), which spares importers a float copy. Either way the stored content, and
 * so the hash, is the same: samples that are all exact k/255 values are stored as uint8.
 */
export interface DatasetInputSplit {
  x: Float32Array | Uint8Array
  y: Int32Array
  n: number
}

export interface DatasetInput {
  name: string
  format: DatasetRecord['format']
  inputShape: number[]
  classNames: string[]
  train: DatasetInputSplit
  test: DatasetInputSplit
  source: string[]
}

export interface LoadedDataset {
  record: DatasetRecord
  train: DatasetSplit
  test: DatasetSplit
}

export interface Registry {
  readonly root: string
  datasets: {
    list(): Promise<DatasetRecord[]>
    /** By id or name; throws AppError NOT_FOUND naming what was asked. */
    get(ref: string): Promise<DatasetRecord>
    load(ref: string): Promise<LoadedDataset>
    /**
     * Stores an already decoded dataset (importers and derived sets use this). Same content: the same
     * (existing) record, whatever name was asked. A name already taken by other content: ALREADY_EXISTS.
     * Bad content (label out of range, wrong lengths, non-finite values, no train samples): DATASET_INVALID.
     */
    put(input: DatasetInput): Promise<DatasetRecord>
    /** Resolves the removed record. Refused (INVALID_INPUT) while models name it in their lineage, unless forced. */
    remove(ref: string, opts?: { force?: boolean }): Promise<DatasetRecord>
  }
  models: {
    list(kind?: ModelKind): Promise<ModelRecord[]>
    /** By id or name (a name both a teacher and a student use must be given as an id). */
    get(ref: string): Promise<ModelRecord>
    load(ref: string): Promise<SpecModel>
    /**
     * Weights must match the spec's shapes (any order; stored in spec order): else MODEL_INVALID. Same
     * kind and content: the existing record. A name this kind already uses for other content: ALREADY_EXISTS.
     */
    put(kind: ModelKind, model: SpecModel, info: { name: string; lineage: ModelRecord['lineage']; metrics?: Record<string, number>; meta?: Record<string, unknown> }): Promise<ModelRecord>
    /** Updates metrics/meta of an existing record (content, and so the id, never change). */
    annotate(ref: string, patch: { metrics?: Record<string, number>; meta?: Record<string, unknown> }): Promise<ModelRecord>
  }
  artifacts: {
    list(): Promise<ArtifactRecord[]>
    get(ref: string): Promise<ArtifactRecord>
    read(ref: string): Promise<Uint8Array>
    /** `modelId` must name a model in the registry. Same bytes: the existing record. */
    put(bytes: Uint8Array, info: { modelId: string; formatVersion: number; metrics?: Record<string, number> }): Promise<ArtifactRecord>
  }
}
