import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../core/errors'
import { checkInput, countClasses, datasetHash, ownBuffer, type SampleDtype, sampleSize, type StoredSplit, toStored } from './dataset-codec'
import type { FileBody } from './io'
import { checkName, ID_PREFIX, makeId } from './names'
import type { DatasetInput, DatasetRecord } from './types'

/**
 * One dataset entry on disk, <registry>/datasets/<id>/: meta.json, train-x.bin, train-y.bin, test-x.bin,
 * test-y.bin (x as uint8 or float32, y as int32, little-endian, row-major, one sample after another).
 */
export interface DatasetMeta {
  format: 'diredi-dataset'
  version: 1
  record: DatasetRecord
  storage: { dtype: SampleDtype }
}

/** A dataset as stored (for exporters, which write 8-bit data without a float round trip). */
export interface StoredDataset {
  record: DatasetRecord
  dtype: SampleDtype
  train: StoredSplit
  test: StoredSplit
}

const FILES = { trainX: 'train-x.bin', trainY: 'train-y.bin', testX: 'test-x.bin', testY: 'test-y.bin' }

/** A dataset checked, in its storage form and hashed: what a put needs before it takes the lock. */
export interface Prepared {
  input: DatasetInput
  stored: ReturnType<typeof toStored>
  hash: string
  id: string
}

export function prepare(input: DatasetInput): Prepared {
  checkName(input.name, 'dataset')
  checkInput(input)
  const stored = toStored(input)
  const hash = datasetHash(input.inputShape, input.classNames, stored.dtype, stored.train, stored.test)
  return { input, stored, hash, id: makeId(ID_PREFIX.dataset, hash) }
}

export function newMeta({ input, stored, hash, id }: Prepared): DatasetMeta {
  const record: DatasetRecord = {
    id,
    name: input.name,
    hash,
    format: input.format,
    inputShape: input.inputShape.slice(),
    classes: input.classNames.length,
    classNames: input.classNames.slice(),
    splits: { train: input.train.n, test: input.test.n },
    classCounts: countClasses(input.train.y, input.classNames.length),
    source: input.source.slice(),
    createdAt: new Date().toISOString()
  }
  return { format: 'diredi-dataset', version: 1, record, storage: { dtype: stored.dtype } }
}

/** The files of an entry, in writing order. */
export function entryFiles(meta: DatasetMeta, stored: Prepared['stored']): Array<[string, FileBody | string]> {
  return [
    [FILES.trainX, stored.train.x],
    [FILES.trainY, stored.train.y],
    [FILES.testX, stored.test.x],
    [FILES.testY, stored.test.y],
    ['meta.json', JSON.stringify(meta, null, 2) + '\n']
  ]
}

/** Reads an entry's samples and labels, checking each file's length against the record. */
export async function readEntry(dir: string): Promise<StoredDataset> {
  const meta = JSON.parse(await fs.readFile(join(dir, 'meta.json'), 'utf8')) as DatasetMeta
  const { record } = meta
  const { dtype } = meta.storage
  const size = sampleSize(record.inputShape)
  const read = async (file: string, n: number, bytesPer: number) => {
    const b = await fs.readFile(join(dir, file))
    if (b.byteLength !== n * bytesPer) {
      throw new AppError('DATASET_INVALID', `dataset ${record.name} (${record.id}): ${file} holds ${b.byteLength} bytes, expected ${n * bytesPer}; the entry was damaged outside the console: remove it and import again`)
    }
    return ownBuffer(b)
  }
  const split = async (n: number, fx: string, fy: string): Promise<StoredSplit> => {
    const xb = await read(fx, n * size, dtype === 'uint8' ? 1 : 4)
    return { x: dtype === 'uint8' ? new Uint8Array(xb) : new Float32Array(xb), y: new Int32Array(await read(fy, n, 4)), n }
  }
  return {
    record,
    dtype,
    train: await split(record.splits.train, FILES.trainX, FILES.trainY),
    test: await split(record.splits.test, FILES.testX, FILES.testY)
  }
}
