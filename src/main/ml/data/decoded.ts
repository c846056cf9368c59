import type { DatasetInput } from '../../store/types'

/** What a reader produces: a dataset ready for `registry.datasets.put`, minus the name it is stored under. */
export type Decoded = Omit<DatasetInput, 'name'> & {
  /** Bytes read from the files (decompressed size for gzip): for throughput figures. */
  bytesRead: number
}

/** Options every reader understands (a subset of the datasets.import params). */
export interface SplitOptions {
  /** Share held out as test when the files bring no test split (default 0.2). */
  testFraction?: number
  /** Seed of that split (default 1). */
  seed?: number
  /** Number of classes; labels must lie in 0..classes-1 (default: from the labels). */
  classes?: number
}

export const DEFAULT_TEST_FRACTION = 0.2
export const DEFAULT_SEED = 1

export const integerClassNames = (classes: number): string[] => Array.from({ length: classes }, (_, i) => String(i))
