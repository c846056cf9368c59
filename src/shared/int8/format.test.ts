import { describe, expect, it } from 'vitest'
import type { ModelSpec } from '../model/spec'
import { crc32 } from '../checksum/crc32'
import { ArtifactError, type ArtifactErrorCode } from './errors'
import { decodeArtifact, encodeArtifact } from './format'
import { quantizeInput, runInt8 } from './interpreter'
import type { Int8Model } from './model'
import { mulberry32 as seededRandom } from '../random'
import { randomInt8Model } from './testing'

/** The worked example of docs/artifact-format.md: a 1x1 conv with ReLU, flatten, a dense layer. */
const example: Int8Model = {
  inputShape: [2, 2, 1],
  classes: 2,
  input: { scale: 0.5, zeroPoint: -128 },
  layers: [
    {
      type: 'conv2d', inChannels: 1, filters: 1, kernel: [1, 1], strides: [1, 1], padding: 'valid', activation: 'relu',
      weights: Int8Array.of(127), bias: Int32Array.of(-1), weightScales: Float32Array.of(0.25),
      output: { scale: 1, zeroPoint: -128, actMin: -128, actMax: 127, multiplier: Int32Array.of(2 ** 30), shift: Int32Array.of(-2) }
    },
    { type: 'flatten' },
    {
      type: 'dense', inFeatures: 4, units: 2, activation: 'linear',
      weights: Int8Array.of(1, -1, 2, -2, 127, 0, 0, -127), bias: Int32Array.of(0, 300), weightScales: Float32Array.of(0.5, 0.125),
      output: { scale: 0.25, zeroPoint: 5, actMin: -128, actMax: 127, multiplier: Int32Array.of(2 ** 30, 2 ** 30), shift: Int32Array.of(1, 0) }
    }
  ]
}
const exampleHex = `
44 52 44 38 01 00 00 00 a8 00 00 00 02 00 03 03
00 00 00 3f 80 00 00 00 02 00 00 00 02 00 00 00
01 00 00 00 02 01 00 00 38 00 00 00 01 00 01 00
01 00 01 00 00 00 00 00 01 00 00 00 01 00 00 00
00 00 80 3f 80 80 7f 00 7f 00 00 00 ff ff ff ff
00 00 00 40 fe ff ff ff 00 00 80 3e 07 00 00 00
08 00 00 00 01 00 00 00 40 00 00 00 04 00 00 00
02 00 00 00 00 00 80 3e 05 80 7f 00 01 ff 02 fe
7f 00 00 81 00 00 00 00 2c 01 00 00 00 00 00 40
00 00 00 40 01 00 00 00 00 00 00 00 00 00 00 3f
00 00 00 3e 16 0a b8 aa`

const fromHex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16))
const codeOf = (f: () => unknown): ArtifactErrorCode | 'none' | 'other' => {
  try {
    f()
    return 'none'
  } catch (e) {
    return e instanceof ArtifactError ? e.code : 'other'
  }
}
/** Applies `edit` to a copy and rewrites the CRC, so the decoder's later checks are reached. */
function patched(bytes: Uint8Array, edit: (b: Uint8Array, v: DataView) => void): Uint8Array {
  const b = bytes.slice()
  const v = new DataView(b.buffer)
  edit(b, v)
  v.setUint32(b.length - 4, crc32(b, 0, b.length - 4), true)
  return b
}

const specs: ModelSpec[] = [
  { inputShape: [784], classes: 10, layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] },
  {
    inputShape: [9, 7, 2],
    classes: 4,
    layers: [
      { type: 'conv2d', filters: 3, kernel: [3, 3], strides: [2, 1], padding: 'same', activation: 'relu6' },
      { type: 'depthwiseConv2d', kernel: [2, 2], strides: [1, 1], padding: 'valid', depthMultiplier: 3, activation: 'relu' },
      { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'same' },
      { type: 'avgPool2d', pool: [1, 2], strides: [1, 1], padding: 'valid' },
      { type: 'reshape', shape: [2, 2, 9] },
      { type: 'globalAvgPool2d' },
      { type: 'flatten' },
      { type: 'dense', units: 4, activation: 'linear' }
    ]
  }
]

describe('artifact format', () => {
  it('encodes the documented example byte for byte, and it runs as documented', () => {
    const bytes = encodeArtifact(example)
    expect(Array.from(bytes)).toEqual(Array.from(fromHex(exampleHex)))
    const m = decodeArtifact(bytes)
    const x = quantizeInput(m, Float32Array.of(0, 1, 2, 3))
    expect(Array.from(x)).toEqual([-128, -126, -124, -122])
    const conv: number[] = []
    const out = runInt8(m, x, (i, o) => i === 0 && conv.push(...o))
    expect(conv).toEqual([-128, -96, -64, -33])
    expect(Array.from(out)).toEqual([-89, -128])
  })

  it('round trips every layer kind: decode(encode(m)) equals m and re-encodes to the same bytes', () => {
    for (const spec of specs) {
      for (const seed of [1, 2]) {
        const m = randomInt8Model(spec, seed)
        const bytes = encodeArtifact(m)
        const back = decodeArtifact(bytes)
        expect(back).toEqual(m)
        expect(Array.from(encodeArtifact(back))).toEqual(Array.from(bytes))
        expect(bytes.length % 4).toBe(0)
      }
    }
  })

  it('decodes from a view at an odd offset of a larger buffer', () => {
    const bytes = encodeArtifact(randomInt8Model(specs[1], 3))
    const big = new Uint8Array(bytes.length + 3)
    big.set(bytes, 3)
    expect(decodeArtifact(big.subarray(3))).toEqual(decodeArtifact(bytes))
  })

  it('refuses truncated input at every length', () => {
    const bytes = encodeArtifact(example)
    for (let n = 0; n < bytes.length; n++) expect(codeOf(() => decodeArtifact(bytes.subarray(0, n))), `${n} bytes`).toBe('TRUNCATED')
  })

  it('refuses corrupt bytes through the CRC, wherever the flip is', () => {
    const bytes = encodeArtifact(randomInt8Model(specs[1], 4))
    for (let i = 12; i < bytes.length; i++) {
      const b = bytes.slice()
      b[i] ^= 1 << i % 8
      expect(codeOf(() => decodeArtifact(b)), `byte ${i}`).toBe('CRC_MISMATCH')
    }
  })

  it('refuses a bad magic, an unknown version and trailing bytes with their own codes', () => {
    const bytes = encodeArtifact(example)
    expect(codeOf(() => decodeArtifact(patched(bytes, (b) => (b[0] = 0x45))))).toBe('BAD_MAGIC')
    const v2 = patched(bytes, (_, v) => v.setUint16(4, 2, true))
    expect(codeOf(() => decodeArtifact(v2))).toBe('UNSUPPORTED_VERSION')
    expect(() => decodeArtifact(v2)).toThrow(/version 2 is not supported/)
    const longer = new Uint8Array(bytes.length + 4)
    longer.set(bytes)
    expect(codeOf(() => decodeArtifact(longer))).toBe('LENGTH_MISMATCH')
    expect(codeOf(() => decodeArtifact(patched(bytes, (_, v) => v.setUint32(8, 12, true))))).toBe('MALFORMED')
  })

  it('refuses malformed records even with a valid CRC', () => {
    const bytes = encodeArtifact(example)
    const cases: Array<[string, (b: Uint8Array, v: DataView) => void]> = [
      ['non-zero flags', (b) => (b[6] = 1)],
      ['non-zero header reserved byte', (b) => (b[22] = 1)],
      ['input rank 0', (b) => (b[14] = 0)],
      ['unknown layer type', (b) => (b[36] = 9)],
      ['activation on flatten', (b) => (b[93] = 1)],
      ['activation code 3', (b) => (b[37] = 3)],
      ['record length not a multiple of 4', (_, v) => v.setUint32(40, 57, true)],
      ['record length too short for its fields', (_, v) => v.setUint32(96, 12, true)],
      ['padding code 2', (b) => (b[52] = 2)],
      ['non-zero alignment padding', (b) => (b[73] = 1)],
      ['more layers than records', (b) => (b[15] = 4)],
      ['fewer layers than records', (b) => (b[15] = 2)]
    ]
    for (const [what, edit] of cases) expect(codeOf(() => decodeArtifact(patched(bytes, edit))), what).toBe('MALFORMED')
  })

  it('refuses records that do not form a valid model', () => {
    const bytes = encodeArtifact(example)
    const cases: Array<[string, (b: Uint8Array, v: DataView) => void]> = [
      ['weight -128', (b) => (b[124] = 0x80)],
      ['an input shape the dense layer does not fit', (_, v) => v.setUint32(24, 3, true)],
      ['classes not matching the last layer', (_, v) => v.setUint16(12, 3, true)],
      ['multiplier below 2^30', (_, v) => v.setInt32(80, 5, true)],
      ['shift 31', (_, v) => v.setInt32(84, 31, true)],
      ['actMin > actMax', (b) => b.set([0x7f, 0], 69)],
      ['zero input scale', (_, v) => v.setFloat32(16, 0, true)],
      ['NaN weight scale', (_, v) => v.setFloat32(88, NaN, true)],
      ['bias that could overflow the accumulator', (_, v) => v.setInt32(132, 2 ** 31 - 1000, true)]
    ]
    for (const [what, edit] of cases) expect(codeOf(() => decodeArtifact(patched(bytes, edit))), what).toBe('INVALID_MODEL')
  })

  it('never fails with anything but an ArtifactError on random damage', () => {
    const bytes = encodeArtifact(randomInt8Model(specs[1], 5))
    const r = seededRandom(9)
    let refused = 0
    for (let t = 0; t < 3000; t++) {
      const b = patched(bytes, (b) => {
        for (let k = 0; k < 1 + (t % 3); k++) b[Math.floor(r() * (b.length - 4))] = Math.floor(r() * 256)
      })
      const code = codeOf(() => decodeArtifact(b))
      expect(code).not.toBe('other')
      if (code !== 'none') refused++
    }
    expect(refused).toBeGreaterThan(100)
  })

  it('refuses to encode an invalid model', () => {
    const m = randomInt8Model(specs[0], 1)
    expect(codeOf(() => encodeArtifact({ ...m, classes: 11 }))).toBe('INVALID_MODEL')
  })
})
