import { sha256Hex } from '../../src/main/core/hash'
import { encodeArtifact } from '../../src/shared/int8'
import { randomInt8Model } from '../../src/shared/int8/testing'
import type { ModelSpec, SpecModel } from '../../src/shared/model/spec'
import type { BoardRecord } from '../../src/shared/api/fleet-types'
import { createApp, type App } from '../../src/main/app/app'
import { InProcessBoards } from '../../src/main/emulator/inprocess'
import { int8Runtime } from '../../src/main/emulator/int8-runtime'
import type { ModelRuntime } from '../../src/main/emulator/runtime'
import { waitFor } from '../../src/main/emulator/testing'

export const spec: ModelSpec = { inputShape: [4, 4, 1], classes: 3, layers: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 3, activation: 'linear' }] }
const zeros = (n: number) => new Float32Array(n)
export const specModel: SpecModel = {
  spec,
  weights: { tensors: [{ name: '1/kernel', shape: [16, 8], data: zeros(128) }, { name: '1/bias', shape: [8], data: zeros(8) }, { name: '2/kernel', shape: [8, 3], data: zeros(24) }, { name: '2/bias', shape: [3], data: zeros(3) }] }
}

export const artifactBytes = (seed: number) => encodeArtifact(randomInt8Model(spec, seed))

/**
 * Firmware with a kernel bug that shows only with some artifacts: it computes every other model right, and
 * those with their first score off by one, so the console's golden check fails and the trial is reverted.
 */
export function miscomputes(...bad: Uint8Array[]): ModelRuntime {
  const badHashes = new Set(bad.map(sha256Hex))
  return {
    load(artifact) {
      const m = int8Runtime.load(artifact)
      if (!badHashes.has(sha256Hex(artifact))) return m
      return {
        ...m,
        run: (input) => {
          const out = m.run(input)
          out[0] = out[0] === 127 ? 126 : out[0] + 1
          return out
        }
      }
    }
  }
}

/** `n` in-process boards (ids vb-0000...), board i running `runtimes.get(i)` if set; a console over them with fast discovery. */
export async function fleetBench(dataDir: string, n: number, o: { runtimes?: Map<number, ModelRuntime>; ids?: (i: number) => string } = {}) {
  const boards = new InProcessBoards(int8Runtime)
  for (let i = 0; i < n; i++) boards.add({ config: { pace: false, ...(o.ids && { boardId: o.ids(i) }) }, ...(o.runtimes?.has(i) && { runtime: o.runtimes.get(i) }) })
  const app = await openConsole(dataDir, boards)
  return { boards, app }
}

export function openConsole(dataDir: string, boards: InProcessBoards): Promise<App> {
  return createApp({
    dataDir, host: 'cli', portOpener: boards.opener,
    fleet: {
      autostart: true,
      discovery: { pollMs: 100, backoffMinMs: 50, backoffMaxMs: 400, watch: false },
      flasher: { boardWaitMs: 10_000, readyTimeoutMs: 5000, golden: 4 },
      // a telemetry window no test outlasts, so window counts do not depend on how fast the machine is
      telemetry: { windowMs: 3_600_000, eventMs: 200 }
    }
  })
}

export const call = <T>(app: App, m: string, p: Record<string, unknown>) => app.router.invoke(m as never, p as never) as Promise<T>

/** Waits until every one of `ids` is online in the directory. */
export async function allOnline(app: App, ids: string[]): Promise<void> {
  await waitFor(() => ids.every((id) => app.services.directory.has(id) && app.services.directory.get(id).online), `${ids.length} boards online`)
  await app.services.fleet.links.flushed()
}

export const running = (b: BoardRecord) => (b.info as { runningHash?: string | null }).runningHash ?? null

/** The resume test's fleet: boards paced at a slow line so the child console can be killed mid-rollout. */
export const RESUME_BOARDS = 32
export const RESUME_BAUD = 57_600
