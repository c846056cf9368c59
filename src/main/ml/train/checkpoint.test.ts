import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mlpSpec } from '../bench/kd-step'
import { CHECKPOINT_FILE, decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint'

const ck = (best: boolean): Checkpoint => ({
  spec: mlpSpec([3, 2]),
  fingerprint: 'abc',
  state: {
    position: { epoch: 2, step: 5, t: 41 },
    params: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
    m: Float32Array.from([0.1, 0, 0, 0, 0, 0, 0, 0.5]),
    v: Float32Array.from([9, 9, 9, 9, 9, 9, 9, 9]),
    best: best ? { params: Float32Array.from([8, 7, 6, 5, 4, 3, 2, 1]), epoch: 1, valLoss: 0.25, valAcc: 0.9 } : null,
    sinceBest: 1,
    history: [{ epoch: 0, trainLoss: 1, trainAcc: 0.5, valLoss: 0.9, valAcc: 0.6 }]
  }
})

describe('checkpoint files', () => {
  it('round-trips every field, with and without best weights', async () => {
    for (const best of [true, false]) {
      expect(decodeCheckpoint(encodeCheckpoint(ck(best)))).toEqual(ck(best))
      const dir = mkdtempSync(join(tmpdir(), 'diredi-ck-'))
      await saveCheckpoint(dir, ck(best))
      expect(await loadCheckpoint(dir)).toEqual(ck(best))
    }
  })

  it('is absent as null, and refuses a truncated or foreign file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diredi-ck-'))
    expect(await loadCheckpoint(dir)).toBeNull()
    const bytes = encodeCheckpoint(ck(true))
    writeFileSync(join(dir, CHECKPOINT_FILE), bytes.subarray(0, bytes.length - 3))
    await expect(loadCheckpoint(dir)).rejects.toThrow(/truncated array best/)
    writeFileSync(join(dir, CHECKPOINT_FILE), 'hello world, not a checkpoint')
    await expect(loadCheckpoint(dir)).rejects.toThrow(/bad magic/)
  })
})
