import { z } from 'zod'
import type { ArtifactRecord, DatasetRecord, ModelRecord } from '../model/records'
import { method } from './define'

export type { ArtifactRecord, DatasetRecord, ModelRecord }

/** Names of the datasets the console ships with (materialised into the registry on first use). */
export const BUILTIN_DATASETS = ['mnist'] as const

const Ref = z.string().min(1).max(200)
const Path = z.string().min(1).max(4096)

/**
 * Importing a dataset from files on the console's machine. Paths are absolute, or relative to the
 * console's working folder. Which options apply depends on the format:
 * - idx: 2 files (images + labels, split by testFraction) or 4 (train and test pairs, told apart by
 *   "train" and "test"/"t10k" in their names), gzipped or not;
 * - csv: one file (split by testFraction) or two (train, then test); labelColumn, header, delimiter;
 * - images: one folder holding <class>/ folders, or train/<class>/ and test/<class>/; color;
 * - builtin: no paths; `builtin` names the set.
 */
export const DatasetImportParams = z
  .object({
    format: z.enum(['idx', 'csv', 'images', 'builtin']),
    paths: z.array(Path).max(4).default([]),
    /** Registry name (required for files; a built-in is always stored under its own name). */
    name: z.string().min(1).max(80).optional(),
    /** Share of samples held out as the test split when the files do not bring their own (default 0.2). */
    testFraction: z.number().min(0).max(0.9).optional(),
    /** Seed of the held-out split (default 1). */
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    /** Number of classes; labels must lie in 0..classes-1 (default: from the labels). */
    classes: z.number().int().min(1).max(65536).optional(),
    /** csv: the label column, by header name or 0-based index (default 0, the first). */
    labelColumn: z.union([z.string().min(1).max(200), z.number().int().min(0)]).optional(),
    /** csv: whether the first line is a header (auto: it is when it holds a non-numeric feature). */
    header: z.enum(['auto', 'yes', 'no']).optional(),
    /** csv: field separator (default ","). */
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    /** images: channels kept (auto: gray when every image is gray, else rgb). */
    color: z.enum(['auto', 'gray', 'rgb']).optional(),
    builtin: z.enum(BUILTIN_DATASETS).optional()
  })
  .strict()

export type DatasetImportOptions = z.output<typeof DatasetImportParams>

export interface DatasetImportResult {
  record: DatasetRecord
  /** False when the registry already held this content (the existing record is returned). */
  created: boolean
  /** Bytes read from the given files (decompressed size for gzip). */
  bytesRead: number
  seconds: number
}

export interface DatasetExportResult {
  record: DatasetRecord
  files: Array<{ path: string; bytes: number }>
}

export const datasetMethods = {
  'datasets.list': method<DatasetRecord[]>()(z.object({}).strict(), 'Datasets in the registry, oldest first'),
  'datasets.get': method<DatasetRecord>()(z.object({ ref: Ref }).strict(), 'One dataset by id or name (a built-in is materialised on first use)'),
  'datasets.import': method<DatasetImportResult>()(DatasetImportParams, 'Import a dataset from IDX, CSV or image files, or a built-in one'),
  'datasets.export': method<DatasetExportResult>()(
    z.object({ ref: Ref, format: z.enum(['idx']), out: Path, gzip: z.boolean().default(false) }).strict(),
    'Write a dataset as standard IDX files into a folder'
  ),
  'datasets.verify': method<{ record: DatasetRecord; ok: boolean }>()(z.object({ ref: Ref }).strict(), 'Recompute the content hash of a stored dataset'),
  'datasets.remove': method<DatasetRecord>()(
    z.object({ ref: Ref, force: z.boolean().default(false) }).strict(),
    'Remove a dataset (refused while models name it in their lineage, unless forced)'
  ),
  'models.list': method<ModelRecord[]>()(z.object({ kind: z.enum(['teacher', 'student']).optional() }).strict(), 'Teachers and students, oldest first'),
  'models.get': method<ModelRecord>()(z.object({ ref: Ref }).strict(), 'One model by id or name'),
  'artifacts.list': method<ArtifactRecord[]>()(z.object({ modelId: Ref.optional() }).strict(), 'Int8 artifacts, oldest first')
}

/** A registry entry appeared, went, or had its metrics/meta updated. */
export interface RegistryChange {
  kind: 'dataset' | 'model' | 'artifact'
  id: string
  change: 'added' | 'removed' | 'updated'
}

export interface DatasetEvents {
  'registry.changed': RegistryChange
}
