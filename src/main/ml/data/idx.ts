import { ByteReader } from './bytes'
import { badData } from './errors'

/**
 * The IDX format (the MNIST files): magic 00 00 <type> <ndims>, then ndims sizes as big-endian u32, then
 * the values in row-major order, big-endian. Types: 0x08 ubyte, 0x09 sbyte, 0x0B short (i16),
 * 0x0C int (i32), 0x0D float (f32), 0x0E double (f64).
 */
export const IDX_TYPES = {
  0x08: { name: 'ubyte', bytes: 1 },
  0x09: { name: 'sbyte', bytes: 1 },
  0x0b: { name: 'short', bytes: 2 },
  0x0c: { name: 'int', bytes: 4 },
  0x0d: { name: 'float', bytes: 4 },
  0x0e: { name: 'double', bytes: 8 }
} as const

export type IdxType = keyof typeof IDX_TYPES
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array

export interface IdxArray {
  path: string
  type: IdxType
  dims: number[]
  /** Values in row-major order, in native typed-array form (ubyte data is the raw bytes). */
  data: IdxData
  headerBytes: number
  /** Bytes read (decompressed size for gzip). */
  bytes: number
  gzip: boolean
}

/** Largest data section accepted (2 GiB): a corrupt header must not make the reader allocate wildly. */
const MAX_DATA_BYTES = 2 ** 31
const TYPE_LIST = Object.entries(IDX_TYPES)
  .map(([k, t]) => `0x${Number(k).toString(16).padStart(2, '0')} ${t.name}`)
  .join(', ')
const hex = (b: Uint8Array) => [...b].map((v) => v.toString(16).padStart(2, '0')).join(' ')

/** Reads a whole IDX file (gzipped or not), checking the header, the length and nothing after the data. */
export async function readIdx(path: string): Promise<IdxArray> {
  const r = await ByteReader.open(path)
  try {
    const magic = new Uint8Array(4)
    const got = await r.readInto(magic)
    if (got < 4) throw badData(path, r.where(), `the file ends after ${got} bytes, before the 4-byte IDX magic number`, 'is it a complete IDX file?')
    if (magic[0] !== 0 || magic[1] !== 0 || !(magic[2] in IDX_TYPES) || magic[3] < 1 || magic[3] > 4) {
      const problem =
        magic[0] !== 0 || magic[1] !== 0
          ? `wrong magic number ${hex(magic)}: an IDX file starts with 00 00, a type code and a dimension count`
          : !(magic[2] in IDX_TYPES)
            ? `unknown IDX type code 0x${magic[2].toString(16).padStart(2, '0')} at byte 2 (known: ${TYPE_LIST})`
            : `${magic[3]} dimensions declared at byte 3; readers take 1 (labels) to 4 (images with channels)`
      throw badData(path, r.where(0), problem, 'give an IDX file such as train-images-idx3-ubyte(.gz) or train-labels-idx1-ubyte(.gz)')
    }
    const type = magic[2] as IdxType
    const ndims = magic[3]
    const headerBytes = 4 + 4 * ndims
    const dimBytes = new Uint8Array(4 * ndims)
    const gotDims = await r.readInto(dimBytes)
    if (gotDims < dimBytes.length) {
      throw badData(path, r.where(), `the file ends inside the header, which is ${headerBytes} bytes for ${ndims} dimensions`, 'the file is truncated: download or copy it again')
    }
    const view = new DataView(dimBytes.buffer)
    const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 * i, false))
    const { name, bytes: per } = IDX_TYPES[type]
    const count = dims.reduce((a, b) => a * b, 1)
    const dataBytes = count * per
    if (dataBytes > MAX_DATA_BYTES) {
      throw badData(path, r.where(4), `the header declares ${dims.join(' x ')} ${name} values (${dataBytes} bytes), more than the 2 GiB a dataset file may hold`, 'check that the file is an IDX file, or split it')
    }
    const raw = new Uint8Array(dataBytes)
    const gotData = await r.readInto(raw)
    if (gotData < dataBytes) {
      throw badData(
        path,
        r.where(),
        `the file is truncated: the header declares ${dims.join(' x ')} ${name} values (${dataBytes} data bytes, ${headerBytes + dataBytes} in all), but the data ends after ${gotData}`,
        'download or copy the file again'
      )
    }
    const extra = await r.drainCount()
    if (extra > 0) {
      throw badData(path, r.where(headerBytes + dataBytes), `${extra} bytes follow the ${dims.join(' x ')} ${name} values the header declares`, 'the header and the data disagree: check that the file was written whole and is not two files joined')
    }
    return { path, type, dims, data: fromBigEndian(type, raw), headerBytes, bytes: headerBytes + dataBytes, gzip: r.gzip }
  } finally {
    r.close()
  }
}

/** Big-endian IDX values -> native typed array (ubyte: the bytes themselves). */
function fromBigEndian(type: IdxType, raw: Uint8Array): IdxData {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  switch (type) {
    case 0x08:
      return raw
    case 0x09:
      return new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength)
    case 0x0b:
      return Int16Array.from({ length: raw.length / 2 }, (_, i) => v.getInt16(2 * i, false))
    case 0x0c:
      return Int32Array.from({ length: raw.length / 4 }, (_, i) => v.getInt32(4 * i, false))
    case 0x0d:
      return Float32Array.from({ length: raw.length / 4 }, (_, i) => v.getFloat32(4 * i, false))
    case 0x0e:
      return Float64Array.from({ length: raw.length / 8 }, (_, i) => v.getFloat64(8 * i, false))
  }
}

/** Encodes values as an IDX file (header + big-endian data). Only the types the exporter writes. */
export function encodeIdx(type: 0x08 | 0x0c | 0x0d, dims: number[], data: Uint8Array | Int32Array | Float32Array): Uint8Array {
  const per = IDX_TYPES[type].bytes
  const head = 4 + 4 * dims.length
  const out = new Uint8Array(head + data.length * per)
  const v = new DataView(out.buffer)
  out[2] = type
  out[3] = dims.length
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false))
  if (type === 0x08) out.set(data as Uint8Array, head)
  else if (type === 0x0c) for (let i = 0; i < data.length; i++) v.setInt32(head + 4 * i, data[i], false)
  else for (let i = 0; i < data.length; i++) v.setFloat32(head + 4 * i, data[i], false)
  return out
}
