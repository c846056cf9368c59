import { describe, expect, it } from 'vitest'
import { encodeArtifact } from '../src/shared/int8'
import { randomInt8Model } from '../src/shared/int8/testing'
import type { ModelSpec } from '../src/shared/model/spec'
import { goldenSet } from '../src/main/boards/golden'
import { runCampaign } from './helpers/campaign'

/**
 * The fault campaign (issue #4): flashes under bit errors at 1e-4, 1% lost frames and 10% disconnects
 * mid-transfer (plus reboots, stalls and unplugs during trials), and after every flash each board must run
 * the new model or its previous one from a slot that verifies. DIREDI_FAULT_FLASHES sets the size
 * (`npm run test:faults` runs 1,000); the normal test run does a smaller one.
 */
const flashes = Number(process.env.DIREDI_FAULT_FLASHES ?? 60)
const boards = Math.min(25, Math.max(6, Math.round(flashes / 40)))
const spec: ModelSpec = { inputShape: [196], classes: 10, layers: [{ type: 'dense', units: 48, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] }

describe(`fault campaign: ${flashes} flashes on ${boards} boards`, () => {
  it('ends with every board on the verified new model or its previous one', { timeout: Math.max(120_000, flashes * 1500) }, async () => {
    const artifacts = [1, 2, 3].map((seed) => {
      const bytes = encodeArtifact(randomInt8Model(spec, seed))
      return { bytes, golden: goldenSet(bytes, 4) }
    })
    const r = await runCampaign({
      boards,
      flashesPerBoard: Math.ceil(flashes / boards),
      artifacts,
      faults: { ber: 1e-4, drop: 0.01, unplug: 0.1, reboot: 0.02, stall: 0.02, trialUnplug: 0.03, unplugMs: 150, stallMs: 800 },
      onFlash: (done, total) => {
        if (done % 100 === 0) process.stderr.write(`fault campaign: ${done}/${total}\n`)
      }
    })
    process.stderr.write(`fault campaign report: ${JSON.stringify(r)}\n`)
    expect(r.flashes).toBeGreaterThanOrEqual(flashes)
    expect(r.corrupt).toBe(0)
    expect(r.unverified).toBe(0)
    expect(r.runningNew + r.runningPrevious).toBe(r.flashes)
    expect(r.bootedVerified).toBe(boards)
    expect(r.board.unplugs).toBeGreaterThan(0)
    expect(r.board.bitsFlipped).toBeGreaterThan(0)
    expect(r.link.crcErrors + r.link.framingErrors).toBeGreaterThan(0)
    expect(r.succeeded).toBeGreaterThan(r.flashes * 0.9)
  })
})
