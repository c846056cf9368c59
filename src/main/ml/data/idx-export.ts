import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzip as gzipCb } from 'node:zlib'
import { fsErrorToApp } from '../../core/errors'
import { writeFileAtomic } from '../../core/atomic'
import type { StoredDataset } from '../../store/datasets'
import type { StoredSplit } from '../../store/dataset-codec'
import { encodeIdx } from './idx'

const gzip = promisify(gzipCb)

/**
 * Writes a stored dataset as the four standard IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte for 28x28x1 8-bit data), optionally gzipped (.gz).
 * 8-bit samples are written as ubyte, others as float; [h, w, 1] samples as (n, h, w), other shapes as
 * (n, ...shape); labels as ubyte up to 256 classes, else int. Importing the four files gives the same
 * dataset hash. Each file is written atomically.
 */
export async function exportIdx(ds: StoredDataset, outDir: string, compress: boolean): Promise<Array<{ path: string; bytes: number }>> {
  const { inputShape, classes } = ds.record
  const sampleDims = inputShape.length === 3 && inputShape[2] === 1 ? inputShape.slice(0, 2) : inputShape
  const imgType = ds.dtype === 'uint8' ? 0x08 : 0x0d
  const imgName = `idx${sampleDims.length + 1}-${ds.dtype === 'uint8' ? 'ubyte' : 'float'}`
  const lblType = classes <= 256 ? 0x08 : 0x0c
  const lblName = `idx1-${classes <= 256 ? 'ubyte' : 'int'}`
  try {
    await fs.mkdir(outDir, { recursive: true })
  } catch (e) {
    throw fsErrorToApp(e, `creating ${outDir}`) ?? e
  }
  const files: Array<{ path: string; bytes: number }> = []
  const write = async (name: string, bytes: Uint8Array) => {
    const body = compress ? new Uint8Array(await gzip(bytes)) : bytes
    const path = join(outDir, compress ? `${name}.gz` : name)
    await writeFileAtomic(path, body)
    files.push({ path, bytes: body.byteLength })
  }
  const split = async (prefix: string, s: StoredSplit) => {
    await write(`${prefix}-images-${imgName}`, encodeIdx(imgType, [s.n, ...sampleDims], s.x))
    const labels = lblType === 0x08 ? Uint8Array.from(s.y) : s.y
    await write(`${prefix}-labels-${lblName}`, encodeIdx(lblType, [s.n], labels))
  }
  await split('train', ds.train)
  await split('t10k', ds.test)
  return files
}
