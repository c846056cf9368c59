import type { RegistryChange } from '../../shared/api/datasets'
import { join } from 'node:path'
import { AppError } from '../core/errors'
import { writeJsonAtomic } from '../core/atomic'
import { hasName, pickByRef, readCatalog } from './catalog'
import { datasetHash, type StoredSplit, u8ToFloat } from './dataset-codec'
import { type DatasetMeta, entryFiles, newMeta, type Prepared, prepare, readEntry, type StoredDataset } from './dataset-entry'
import { removeEntry, writeEntry } from './entry'
import type { StoreIo } from './io'
import type { Mutex } from './lock'
import type { DatasetInput, DatasetRecord, LoadedDataset } from './types'

/** Built-in datasets by name, decoded on demand and stored on first use. */
export type Builtins = Record<string, () => Promise<DatasetInput>>

export type ChangeListener = (change: RegistryChange) => void

const HINT = 'list them with `diredi dataset list`'

export type { StoredDataset }

/** Datasets under <registry>/datasets/<id>/ (layout: dataset-entry.ts). */
export class DatasetStore {
  constructor(
    readonly dir: string,
    private readonly io: StoreIo,
    private readonly lock: Mutex,
    private readonly builtins: Builtins,
    /** Ids of the models whose lineage names a dataset. */
    private readonly usedBy: (id: string) => Promise<string[]>,
    private readonly changed: ChangeListener
  ) {}

  async list(): Promise<DatasetRecord[]> {
    return (await this.metas()).map((m) => m.record)
  }

  /** By id or name; a built-in name not yet in the registry is materialised now. */
  async get(ref: string): Promise<DatasetRecord> {
    return (await this.meta(ref)).record
  }

  async load(ref: string): Promise<LoadedDataset> {
    const s = await this.readStored(ref)
    const dec = (p: StoredSplit) => ({ x: p.x instanceof Uint8Array ? u8ToFloat(p.x) : p.x, y: p.y, n: p.n })
    return { record: s.record, train: dec(s.train), test: dec(s.test) }
  }

  /** The stored samples and labels, as they are on disk. */
  async readStored(ref: string): Promise<StoredDataset> {
    return readEntry(join(this.dir, (await this.meta(ref)).record.id))
  }

  /** Recomputes the content hash from the stored files; true when it matches the record. */
  async verify(ref: string): Promise<boolean> {
    const s = await this.readStored(ref)
    return datasetHash(s.record.inputShape, s.record.classNames, s.dtype, s.train, s.test) === s.record.hash
  }

  async put(input: DatasetInput): Promise<DatasetRecord> {
    const prepared = prepare(input)
    return this.lock.run(() => this.putLocked(prepared))
  }

  private async putLocked(p: Prepared): Promise<DatasetRecord> {
    const { input, stored, id } = p
    let metas = await this.metas()
    // A built-in's name always means the built-in content: materialise it first so a clash is refused.
    if (input.format !== 'builtin' && this.builtins[input.name] && !metas.some((m) => hasName(m.record, input.name))) {
      await this.materialiseLocked(input.name)
      metas = await this.metas()
    }
    const same = metas.find((m) => m.record.id === id)
    if (same) return this.alias(same, input.name, metas)
    const taken = metas.find((m) => hasName(m.record, input.name))
    if (taken) {
      throw new AppError(
        'ALREADY_EXISTS',
        `a dataset named ${JSON.stringify(input.name)} already exists (${taken.record.id}) with other content; choose another name, or remove it first (\`diredi dataset rm ${input.name}\`)`,
        { existing: taken.record.id }
      )
    }
    const meta = newMeta(p)
    const outcome = await writeEntry(this.io, this.dir, id, entryFiles(meta, stored))
    if (outcome === 'exists') {
      // Another console wrote the same content first: take its record (and add this name as an alias).
      const now = await this.metas()
      const theirs = now.find((m) => m.record.id === id)
      if (!theirs) throw new AppError('IO_ERROR', `registry entry ${join(this.dir, id)} exists but its meta.json cannot be read; remove that folder and import again`)
      return this.alias(theirs, input.name, now)
    }
    this.changed({ kind: 'dataset', id, change: 'added' })
    return meta.record
  }

  /**
   * The same content put under another name: the entry keeps its name and gains the new one as an
   * alias (meta.json replaced atomically), unless another entry answers to that name already.
   */
  private async alias(same: DatasetMeta, name: string, metas: DatasetMeta[]): Promise<DatasetRecord> {
    const { record } = same
    if (hasName(record, name)) return record
    const other = metas.find((m) => hasName(m.record, name))
    if (other) {
      throw new AppError(
        'ALREADY_EXISTS',
        `this content is already in the registry as ${record.name} (${record.id}), and the name ${JSON.stringify(name)} belongs to another dataset (${other.record.id}); use ${record.name}, or choose another name`,
        { existing: record.id }
      )
    }
    record.aliases = [...(record.aliases ?? []), name]
    await writeJsonAtomic(join(this.dir, record.id, 'meta.json'), same)
    this.changed({ kind: 'dataset', id: record.id, change: 'updated' })
    return record
  }

  async remove(ref: string, opts: { force?: boolean } = {}): Promise<DatasetRecord> {
    return this.lock.run(async () => {
      const record = pickByRef((await this.metas()).map((m) => m.record), ref, 'dataset', HINT)
      const users = await this.usedBy(record.id)
      if (users.length && !opts.force) {
        throw new AppError(
          'INVALID_INPUT',
          `dataset ${record.name} (${record.id}) is the dataset of model(s) ${users.join(', ')}; remove it anyway with --force (their lineage will then name a dataset that is gone)`,
          { usedBy: users }
        )
      }
      if (await removeEntry(this.dir, record.id)) this.changed({ kind: 'dataset', id: record.id, change: 'removed' })
      return record
    })
  }

  private metas(): Promise<DatasetMeta[]> {
    return readCatalog(this.dir, 'meta.json', (j) => j as DatasetMeta, (m) => m.record)
  }

  private async meta(ref: string): Promise<DatasetMeta> {
    const metas = await this.metas()
    try {
      const id = pickByRef(
        metas.map((m) => m.record),
        ref,
        'dataset',
        HINT
      ).id
      return metas.find((m) => m.record.id === id) as DatasetMeta
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'NOT_FOUND' && this.builtins[ref])) throw e
    }
    const record = await this.lock.run(() => this.materialiseLocked(ref))
    return this.meta(record.id)
  }

  /** Decodes a built-in and stores it under its name; the caller holds the lock. */
  private async materialiseLocked(name: string): Promise<DatasetRecord> {
    const existing = (await this.metas()).find((m) => hasName(m.record, name))
    if (existing) return existing.record
    const input = await this.builtins[name]()
    return this.putLocked(prepare({ ...input, name, format: 'builtin' }))
  }
}
