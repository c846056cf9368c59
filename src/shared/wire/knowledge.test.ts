import { describe, expect, it } from 'vitest'
import { WireError } from './errors'
import { decodeKnowledge, encodeKnowledgeBody, type KnowledgeBody } from './knowledge'

const body: KnowledgeBody = {
  boardId: 'vb-0001',
  base: new Uint8Array(32).fill(0xab),
  nonce: new Uint8Array(16).fill(0x5c),
  layers: 'head',
  epochs: 3,
  lr: Math.fround(0.05),
  mu: Math.fround(0.01),
  clip: 0,
  sigma: 0,
  nTrain: 600,
  nTest: 400,
  classCounts: [60, 0, 540],
  accBefore: Math.fround(0.71),
  accAfter: Math.fround(0.88),
  deltaNorm: Math.fround(0.25),
  tensors: [
    { name: '2/kernel', shape: [2, 3], values: Float32Array.of(0.5, -0.25, 0, 1, 2, -3) },
    { name: '2/bias', shape: [3], values: Float32Array.of(0.125, 0, -0.125) }
  ]
}

const blobOf = (b: KnowledgeBody) => {
  const signed = encodeKnowledgeBody(b)
  const out = new Uint8Array(signed.length + 32)
  out.set(signed)
  out.fill(0x77, signed.length)
  return out
}

describe('knowledge blob', () => {
  it('round-trips body and tag', () => {
    const blob = blobOf(body)
    const k = decodeKnowledge(blob)
    expect(k.body).toEqual(body)
    expect([...k.tag]).toEqual(new Array(32).fill(0x77))
    expect(k.signed.length).toBe(blob.length - 32)
  })

  it('refuses every truncation with a coded error, never anything else', () => {
    const blob = blobOf(body)
    for (let n = 0; n < blob.length; n++) {
      let code = 'accepted'
      try {
        decodeKnowledge(blob.subarray(0, n))
      } catch (e) {
        expect(e).toBeInstanceOf(WireError)
        code = (e as WireError).code
      }
      expect(code, `truncated to ${n}`).toBe('BAD_PAYLOAD')
    }
  })

  it('refuses a wrong magic, format, layers byte, rank or size', () => {
    const blob = blobOf(body)
    const bad = (at: number, v: number) => {
      const b = blob.slice()
      b[at] = v
      return () => decodeKnowledge(b)
    }
    expect(bad(0, 0x45)).toThrow(/magic/)
    expect(bad(4, 2)).toThrow(/format 2/)
    const layersAt = 5 + 1 + body.boardId.length + 32 + 16
    expect(bad(layersAt, 7)).toThrow(/layers/)
    const huge = blobOf({ ...body, tensors: [{ name: 'x', shape: [1], values: Float32Array.of(1) }] })
    const rankAt = huge.length - 32 - 4 - 4 - 1
    expect(() => decodeKnowledge(Object.assign(huge.slice(), { [rankAt]: 9 }))).toThrow(/rank 9/)
    const dimsAt = rankAt + 1
    const big = huge.slice()
    new DataView(big.buffer).setUint32(dimsAt, 0xffffffff, true)
    expect(() => decodeKnowledge(big)).toThrow(/more than/)
  })

  it('refuses to encode a tensor whose values disagree with its shape', () => {
    expect(() => encodeKnowledgeBody({ ...body, tensors: [{ name: 'x', shape: [2, 2], values: new Float32Array(3) }] })).toThrow(/holds 4 values/)
  })
})
