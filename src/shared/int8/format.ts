/**
 * The int8 artifact file, format version 1 (docs/artifact-format.md describes it byte by byte):
 * a 24-byte header plus input dims, one record per layer (each 4-byte aligned, arrays 4-byte aligned,
 * padding zero), and a CRC-32 trailer over everything before it. Little-endian throughout. The encoding
 * is canonical: one model has exactly one byte string, so its SHA-256 identifies it.
 */
import type { Activation, Padding } from '../model/spec'
import { ByteReader, ByteWriter } from './bytes'
import { crc32 } from '../checksum/crc32'
import { ArtifactError } from './errors'
import { isWeighted, type Int8Layer, type Int8Model, type OutputQuant, type WeightedInt8Layer } from './model'
import { checkInt8Model } from './validate'

/** "DRD8" */
export const ARTIFACT_MAGIC = Uint8Array.of(0x44, 0x52, 0x44, 0x38)
export const ARTIFACT_FORMAT_VERSION = 1
export const HEADER_BYTES = 24
const CRC_BYTES = 4

export const LAYER_CODES = {
  dense: 1,
  conv2d: 2,
  depthwiseConv2d: 3,
  maxPool2d: 4,
  avgPool2d: 5,
  globalAvgPool2d: 6,
  flatten: 7,
  reshape: 8
} as const satisfies Record<Int8Layer['type'], number>
const ACTIVATIONS: Activation[] = ['linear', 'relu', 'relu6']
const PADDINGS: Padding[] = ['valid', 'same']

export function encodeArtifact(m: Int8Model): Uint8Array {
  checkInt8Model(m)
  const w = new ByteWriter(4096)
  w.int8s(new Int8Array(ARTIFACT_MAGIC.buffer))
  w.u16(ARTIFACT_FORMAT_VERSION)
  w.u16(0) // flags
  w.u32(0) // total length, patched below
  w.u16(m.classes)
  w.u8(m.inputShape.length)
  w.u8(m.layers.length)
  w.f32(m.input.scale)
  w.i8(m.input.zeroPoint)
  w.zeros(3)
  for (const d of m.inputShape) w.u32(d)
  for (const l of m.layers) writeLayer(w, l)
  w.patchU32(8, w.len + CRC_BYTES)
  const body = w.done()
  const out = new Uint8Array(body.length + CRC_BYTES)
  out.set(body)
  new DataView(out.buffer).setUint32(body.length, crc32(body), true)
  return out
}

function writeLayer(w: ByteWriter, l: Int8Layer): void {
  const start = w.len
  w.u8(LAYER_CODES[l.type])
  w.u8(isWeighted(l) ? ACTIVATIONS.indexOf(l.activation) : 0)
  w.u16(0)
  w.u32(0) // record length, patched below
  switch (l.type) {
    case 'dense':
      w.u32(l.inFeatures)
      w.u32(l.units)
      writeWeighted(w, l)
      break
    case 'conv2d':
    case 'depthwiseConv2d':
      writeWindow(w, l.kernel, l.strides, l.padding)
      w.u32(l.inChannels)
      w.u32(l.type === 'conv2d' ? l.filters : l.depthMultiplier)
      writeWeighted(w, l)
      break
    case 'maxPool2d':
    case 'avgPool2d':
      writeWindow(w, l.pool, l.strides, l.padding)
      break
    case 'reshape':
      w.u8(l.shape.length)
      w.zeros(3)
      for (const d of l.shape) w.u32(d)
      break
    default:
      break
  }
  w.patchU32(start + 4, w.len - start)
}

function writeWindow(w: ByteWriter, k: [number, number], s: [number, number], p: Padding): void {
  for (const x of [k[0], k[1], s[0], s[1]]) w.u16(x)
  w.u8(PADDINGS.indexOf(p))
  w.zeros(3)
}

function writeWeighted(w: ByteWriter, l: WeightedInt8Layer): void {
  const o = l.output
  w.f32(o.scale)
  w.i8(o.zeroPoint)
  w.i8(o.actMin)
  w.i8(o.actMax)
  w.zeros(1)
  w.int8s(l.weights)
  w.align4()
  w.int32s(l.bias)
  w.int32s(o.multiplier)
  w.int32s(o.shift)
  w.float32s(l.weightScales)
}

/** Parses and checks an artifact; throws ArtifactError with a code on anything it cannot trust. */
export function decodeArtifact(bytes: Uint8Array): Int8Model {
  if (bytes.length < 8) throw new ArtifactError('TRUNCATED', `an artifact has at least ${HEADER_BYTES + CRC_BYTES} bytes, got ${bytes.length}`)
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== ARTIFACT_MAGIC[i]) throw new ArtifactError('BAD_MAGIC', 'not a DiReDi int8 artifact: the file does not start with "DRD8"')
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint16(4, true)
  if (version !== ARTIFACT_FORMAT_VERSION) {
    throw new ArtifactError('UNSUPPORTED_VERSION', `artifact format version ${version} is not supported (this console reads version ${ARTIFACT_FORMAT_VERSION}); re-export the model with this console`)
  }
  if (bytes.length < HEADER_BYTES + CRC_BYTES) throw new ArtifactError('TRUNCATED', `an artifact has at least ${HEADER_BYTES + CRC_BYTES} bytes, got ${bytes.length}`)
  const total = view.getUint32(8, true)
  if (total < HEADER_BYTES + CRC_BYTES) throw new ArtifactError('MALFORMED', `the header declares ${total} bytes, less than a header and a CRC`)
  if (bytes.length < total) throw new ArtifactError('TRUNCATED', `the artifact is truncated: its header declares ${total} bytes, got ${bytes.length}`)
  if (bytes.length > total) throw new ArtifactError('LENGTH_MISMATCH', `the header declares ${total} bytes, but there are ${bytes.length}; the file has trailing bytes`)
  const stored = view.getUint32(total - CRC_BYTES, true)
  const actual = crc32(bytes, 0, total - CRC_BYTES)
  if (stored !== actual) throw new ArtifactError('CRC_MISMATCH', `the artifact is corrupt: CRC-32 is 0x${hex(actual)}, the file says 0x${hex(stored)}`)

  const r = new ByteReader(bytes, total - CRC_BYTES)
  r.at = 6
  r.zeros(2, 'flags')
  r.at = 12
  const classes = r.u16('classes')
  const rank = r.u8('input rank')
  const nLayers = r.u8('layer count')
  const scale = r.f32('input scale')
  const zeroPoint = r.i8('input zero point')
  r.zeros(3, 'header reserved')
  if (rank < 1 || rank > 4) throw new ArtifactError('MALFORMED', `input rank ${rank} must be 1 to 4`)
  const inputShape: number[] = []
  for (let i = 0; i < rank; i++) inputShape.push(r.u32(`input dim ${i}`))
  const layers: Int8Layer[] = []
  for (let i = 0; i < nLayers; i++) layers.push(readLayer(r, i))
  if (r.at !== total - CRC_BYTES) throw new ArtifactError('MALFORMED', `${total - CRC_BYTES - r.at} bytes after the last layer record`)
  const m: Int8Model = { inputShape, classes, input: { scale, zeroPoint }, layers }
  checkInt8Model(m)
  return m
}

function readLayer(r: ByteReader, i: number): Int8Layer {
  const start = r.at
  const where = `layer ${i}`
  const code = r.u8(`${where} type`)
  const actCode = r.u8(`${where} activation`)
  r.zeros(2, `${where} reserved`)
  const length = r.u32(`${where} record length`)
  const type = (Object.keys(LAYER_CODES) as Int8Layer['type'][]).find((k) => LAYER_CODES[k] === code)
  if (!type) throw new ArtifactError('MALFORMED', `${where}: unknown layer type code ${code}`)
  if (length % 4 || length < 8) throw new ArtifactError('MALFORMED', `${where}: record length ${length} must be a multiple of 4 and at least 8`)
  r.need(length - 8, `${where} record`)
  const activation = ACTIVATIONS[actCode]
  if (!activation || (actCode !== 0 && !['dense', 'conv2d', 'depthwiseConv2d'].includes(type))) {
    throw new ArtifactError('MALFORMED', `${where}: activation code ${actCode} is not valid for ${type}`)
  }
  let layer: Int8Layer
  switch (type) {
    case 'dense': {
      const inFeatures = r.u32(`${where} inFeatures`)
      const units = r.u32(`${where} units`)
      layer = { type, inFeatures, units, activation, ...readWeighted(r, units, units * inFeatures, where) }
      break
    }
    case 'conv2d':
    case 'depthwiseConv2d': {
      const { kernel, strides, padding } = readWindow(r, where)
      const inChannels = r.u32(`${where} inChannels`)
      const n = r.u32(`${where} ${type === 'conv2d' ? 'filters' : 'depthMultiplier'}`)
      const outC = type === 'conv2d' ? n : inChannels * n
      const count = kernel[0] * kernel[1] * (type === 'conv2d' ? inChannels * n : outC)
      const rest = readWeighted(r, outC, count, where)
      layer = type === 'conv2d'
        ? { type, inChannels, filters: n, kernel, strides, padding, activation, ...rest }
        : { type, inChannels, depthMultiplier: n, kernel, strides, padding, activation, ...rest }
      break
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const { kernel, strides, padding } = readWindow(r, where)
      layer = { type, pool: kernel, strides, padding }
      break
    }
    case 'reshape': {
      const rank = r.u8(`${where} rank`)
      r.zeros(3, `${where} reserved`)
      if (rank < 1 || rank > 4) throw new ArtifactError('MALFORMED', `${where}: reshape rank ${rank} must be 1 to 4`)
      const shape: number[] = []
      for (let d = 0; d < rank; d++) shape.push(r.u32(`${where} dim ${d}`))
      layer = { type, shape }
      break
    }
    default:
      layer = { type }
  }
  if (r.at - start !== length) throw new ArtifactError('MALFORMED', `${where} (${type}): record length says ${length} bytes, its fields take ${r.at - start}`)
  return layer
}

function readWindow(r: ByteReader, where: string): { kernel: [number, number]; strides: [number, number]; padding: Padding } {
  const kernel: [number, number] = [r.u16(`${where} window h`), r.u16(`${where} window w`)]
  const strides: [number, number] = [r.u16(`${where} stride h`), r.u16(`${where} stride w`)]
  const p = r.u8(`${where} padding`)
  r.zeros(3, `${where} reserved`)
  const padding = PADDINGS[p]
  if (!padding) throw new ArtifactError('MALFORMED', `${where}: padding code ${p} must be 0 (valid) or 1 (same)`)
  return { kernel, strides, padding }
}

function readWeighted(r: ByteReader, outC: number, count: number, where: string): { weights: Int8Array; bias: Int32Array; weightScales: Float32Array; output: OutputQuant } {
  // Sizes come from the file: check them against what is left before allocating anything.
  r.need(count + 16 * outC + 8, `${where} arrays (${count} weights, ${outC} channels)`)
  const scale = r.f32(`${where} output scale`)
  const zeroPoint = r.i8(`${where} output zero point`)
  const actMin = r.i8(`${where} actMin`)
  const actMax = r.i8(`${where} actMax`)
  r.zeros(1, `${where} reserved`)
  const weights = r.int8s(count, `${where} weights`)
  r.align4(`${where} padding after weights`)
  const bias = r.int32s(outC, `${where} bias`)
  const multiplier = r.int32s(outC, `${where} multiplier`)
  const shift = r.int32s(outC, `${where} shift`)
  const weightScales = r.float32s(outC, `${where} weight scales`)
  return { weights, bias, weightScales, output: { scale, zeroPoint, actMin, actMax, multiplier, shift } }
}

const hex = (x: number): string => x.toString(16).padStart(8, '0')
