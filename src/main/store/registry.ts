import { promises as fs } from 'node:fs'
import { endianness } from 'node:os'
import { join } from 'node:path'
import type { RegistryChange } from '../../shared/api/datasets'
import { AppError } from '../core/errors'
import { ArtifactStore } from './artifacts'
import { type Builtins, DatasetStore } from './datasets'
import { isEntryName, sweepTemporaries } from './entry'
import { nodeIo, type StoreIo } from './io'
import { Mutex } from './lock'
import { ModelStore } from './models'
import type { Registry } from './types'

export interface RegistryOptions {
  /** The write seam (tests inject failures and pauses here). */
  io?: StoreIo
  /** Built-in datasets by name (default: the `mnist` digits). */
  builtins?: Builtins
  /** Told about every entry added, removed or updated by this process. */
  onChange?: (change: RegistryChange) => void
}

/** The built-ins every registry knows; their readers load only when first asked for. */
export const defaultBuiltins: Builtins = {
  mnist: async () => (await import('./mnist-builtin')).loadMnistBuiltin()
}

/**
 * The on-disk registry under <dataDir>/registry: datasets/, models/, artifacts/, one folder per entry
 * named by its id. Open it with `openRegistry`, which sweeps what killed writers left behind.
 */
export class FileRegistry implements Registry {
  readonly datasets: DatasetStore
  readonly models: ModelStore
  readonly artifacts: ArtifactStore

  constructor(
    readonly root: string,
    opts: RegistryOptions = {}
  ) {
    const io = opts.io ?? nodeIo
    const lock = new Mutex()
    const changed = opts.onChange ?? (() => undefined)
    this.models = new ModelStore(join(root, 'models'), io, lock, changed)
    this.artifacts = new ArtifactStore(join(root, 'artifacts'), io, lock, this.models, changed)
    // Removing a dataset that models were trained on would leave their lineage pointing nowhere.
    const usedBy = async (id: string) => (await this.models.list()).filter((m) => m.lineage.datasetId === id).map((m) => m.id)
    this.datasets = new DatasetStore(join(root, 'datasets'), io, lock, opts.builtins ?? defaultBuiltins, usedBy, changed)
  }

  /** Removes temporaries of killed writers: in each kind folder, and inside entries (annotations). */
  async sweep(): Promise<number> {
    let n = 0
    for (const dir of [this.datasets.dir, this.models.dir, this.artifacts.dir]) {
      await fs.mkdir(dir, { recursive: true })
      n += await sweepTemporaries(dir)
      for (const name of (await fs.readdir(dir)).filter(isEntryName)) n += await sweepTemporaries(join(dir, name))
    }
    return n
  }
}

/** Opens (creating if needed) the registry of a data directory and sweeps leftovers of killed writers. */
export async function openRegistry(dataDir: string, opts: RegistryOptions = {}): Promise<FileRegistry> {
  if (endianness() !== 'LE') throw new AppError('INTERNAL', 'the registry stores little-endian numbers and this machine is big-endian; it is not supported')
  const reg = new FileRegistry(join(dataDir, 'registry'), opts)
  await reg.sweep()
  return reg
}
