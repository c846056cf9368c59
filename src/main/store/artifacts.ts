import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { sha256Hex } from '../core/hash'
import { pickByRef, readCatalog } from './catalog'
import type { ChangeListener } from './datasets'
import { writeEntry } from './entry'
import type { StoreIo } from './io'
import type { Mutex } from './lock'
import type { ModelStore } from './models'
import { ID_PREFIX, makeId } from './names'
import type { ArtifactRecord } from './types'
import { AppError } from '../core/errors'

const HINT = 'list them with `diredi artifacts`'

/** Int8 artifacts under <registry>/artifacts/<id>/: artifact.bin (the raw bytes a board receives) + meta.json. */
export class ArtifactStore {
  constructor(
    readonly dir: string,
    private readonly io: StoreIo,
    private readonly lock: Mutex,
    private readonly models: ModelStore,
    private readonly changed: ChangeListener
  ) {}

  list(modelId?: string): Promise<ArtifactRecord[]> {
    return readCatalog(this.dir, 'meta.json', (j) => j as ArtifactRecord, (r) => r).then((rs) => rs.filter((r) => !modelId || r.modelId === modelId))
  }

  async get(ref: string): Promise<ArtifactRecord> {
    return pickByRef(await this.list(), ref, 'artifact', HINT)
  }

  async read(ref: string): Promise<Uint8Array> {
    const r = await this.get(ref)
    const bytes = new Uint8Array(await fs.readFile(join(this.dir, r.id, 'artifact.bin')))
    if (bytes.byteLength !== r.bytes || sha256Hex(bytes) !== r.hash) {
      throw new AppError('IO_ERROR', `artifact ${r.id}: its bytes no longer match its hash; the entry was damaged outside the console: export the model again`)
    }
    return bytes
  }

  async put(bytes: Uint8Array, info: { modelId: string; formatVersion: number; metrics?: Record<string, number> }): Promise<ArtifactRecord> {
    if (bytes.byteLength === 0) throw new AppError('INVALID_INPUT', 'an artifact cannot be empty')
    const model = await this.models.get(info.modelId)
    const hash = sha256Hex(bytes)
    const id = makeId(ID_PREFIX.artifact, hash)
    return this.lock.run(async () => {
      const same = (await this.list()).find((r) => r.id === id)
      if (same) return same
      const record: ArtifactRecord = {
        id,
        hash,
        modelId: model.id,
        bytes: bytes.byteLength,
        format: 'diredi-int8',
        formatVersion: info.formatVersion,
        metrics: { ...info.metrics },
        createdAt: new Date().toISOString()
      }
      const outcome = await writeEntry(this.io, this.dir, id, [
        ['artifact.bin', bytes],
        ['meta.json', JSON.stringify(record, null, 2) + '\n']
      ])
      if (outcome === 'exists') return this.get(id)
      this.changed({ kind: 'artifact', id, change: 'added' })
      return record
    })
  }
}
