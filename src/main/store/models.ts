import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { countParams, type NamedTensor, type SpecModel } from '../../shared/model/spec'
import { AppError } from '../core/errors'
import { writeJsonAtomic } from '../core/atomic'
import { hasName, pickByRef, readCatalog } from './catalog'
import { ownBuffer } from './dataset-codec'
import type { ChangeListener } from './datasets'
import { writeEntry } from './entry'
import type { StoreIo } from './io'
import type { Mutex } from './lock'
import { modelHash, orderTensors } from './model-codec'
import { checkName, ID_PREFIX, makeId } from './names'
import type { ModelKind, ModelRecord } from './types'

/** model.json of a model entry: the record (spec included) and the layout of weights.bin. */
interface ModelFile {
  format: 'diredi-model'
  version: 1
  record: ModelRecord
  /** In weights.bin order: float32 little-endian, one tensor after another. */
  tensors: Array<{ name: string; shape: number[] }>
}

export type ModelInfo = { name: string; lineage: ModelRecord['lineage']; metrics?: Record<string, number>; meta?: Record<string, unknown> }

const HINT = 'list them with `diredi models`'

/** Teachers and students under <registry>/models/<id>/: model.json + weights.bin. */
export class ModelStore {
  constructor(
    readonly dir: string,
    private readonly io: StoreIo,
    private readonly lock: Mutex,
    private readonly changed: ChangeListener
  ) {}

  async list(kind?: ModelKind): Promise<ModelRecord[]> {
    return (await this.files()).map((f) => f.record).filter((r) => !kind || r.kind === kind)
  }

  async get(ref: string): Promise<ModelRecord> {
    return pickByRef(await this.list(), ref, 'model', HINT)
  }

  async load(ref: string): Promise<SpecModel> {
    const record = await this.get(ref)
    const file = await this.file(record.id)
    const buf = await fs.readFile(join(this.dir, record.id, 'weights.bin'))
    const all = new Float32Array(ownBuffer(buf), 0, buf.byteLength >> 2)
    const tensors: NamedTensor[] = []
    let off = 0
    for (const t of file.tensors) {
      const size = t.shape.reduce((a, b) => a * b, 1)
      tensors.push({ name: t.name, shape: t.shape.slice(), data: all.slice(off, off + size) })
      off += size
    }
    if (off * 4 !== buf.byteLength) {
      throw new AppError('MODEL_INVALID', `model ${record.id}: weights.bin holds ${buf.byteLength} bytes, expected ${off * 4}; the entry was damaged outside the console: remove it and import or train again`)
    }
    return { spec: record.spec, weights: { tensors } }
  }

  async put(kind: ModelKind, model: SpecModel, info: ModelInfo): Promise<ModelRecord> {
    checkName(info.name, kind)
    const tensors = orderTensors(model)
    const hash = modelHash(model.spec, tensors)
    const id = makeId(ID_PREFIX[kind], hash)
    return this.lock.run(async () => {
      const all = await this.list()
      const same = all.find((r) => r.id === id)
      if (same) return this.alias(same, info.name, all)
      const taken = all.find((r) => r.kind === kind && hasName(r, info.name))
      if (taken) {
        throw new AppError('ALREADY_EXISTS', `a ${kind} named ${JSON.stringify(info.name)} already exists (${taken.id}) with other weights; choose another name`, { existing: taken.id })
      }
      const record: ModelRecord = {
        id,
        kind,
        name: info.name,
        hash,
        spec: model.spec,
        params: countParams(model.spec),
        lineage: { ...info.lineage },
        metrics: { ...info.metrics },
        meta: { ...info.meta },
        createdAt: new Date().toISOString()
      }
      const file: ModelFile = { format: 'diredi-model', version: 1, record, tensors: tensors.map((t) => ({ name: t.name, shape: t.shape.slice() })) }
      const outcome = await writeEntry(this.io, this.dir, id, [
        ['weights.bin', tensors.map((t) => t.data)],
        ['model.json', JSON.stringify(file, null, 2) + '\n']
      ])
      if (outcome === 'exists') return (await this.file(id)).record
      this.changed({ kind: 'model', id, change: 'added' })
      return record
    })
  }

  /** Same kind and content under another name: the new name becomes an alias (see DatasetStore.alias). */
  private async alias(same: ModelRecord, name: string, all: ModelRecord[]): Promise<ModelRecord> {
    if (hasName(same, name)) return same
    const other = all.find((r) => r.kind === same.kind && hasName(r, name))
    if (other) {
      throw new AppError('ALREADY_EXISTS', `this ${same.kind} is already in the registry as ${same.name} (${same.id}), and the name ${JSON.stringify(name)} belongs to another ${same.kind} (${other.id}); choose another name`, { existing: same.id })
    }
    const file = await this.file(same.id)
    file.record.aliases = [...(file.record.aliases ?? []), name]
    await writeJsonAtomic(join(this.dir, same.id, 'model.json'), file)
    this.changed({ kind: 'model', id: same.id, change: 'updated' })
    return file.record
  }

  /** Merges metrics and meta into a record; the content (and so the id) stays. model.json is replaced atomically. */
  annotate(ref: string, patch: { metrics?: Record<string, number>; meta?: Record<string, unknown> }): Promise<ModelRecord> {
    return this.lock.run(async () => {
      const { id } = await this.get(ref)
      const file = await this.file(id)
      file.record.metrics = { ...file.record.metrics, ...patch.metrics }
      file.record.meta = { ...file.record.meta, ...patch.meta }
      await writeJsonAtomic(join(this.dir, id, 'model.json'), file)
      this.changed({ kind: 'model', id, change: 'updated' })
      return file.record
    })
  }

  private files(): Promise<ModelFile[]> {
    return readCatalog(this.dir, 'model.json', (j) => j as ModelFile, (f) => f.record)
  }

  private async file(id: string): Promise<ModelFile> {
    return JSON.parse(await fs.readFile(join(this.dir, id, 'model.json'), 'utf8')) as ModelFile
  }
}
