import type { BoardService } from '../boards/service'
import type { BoardSession } from '../boards/session'
import { goldenSet } from '../boards/golden'
import { flashArtifact } from '../boards/flash'
import { AppError } from '../core/errors'
import type { FleetService } from '../fleet/service'
import type { BoardDirectory } from '../fleet/directory'
import type { JobService } from '../core/jobs'
import type { RolloutSummary } from '../../shared/api/fleet-types'
import type { PrivacyLedger } from './ledger'
import type { VirtualLab } from './lab'
import type { Base } from './setup'

/** The scenario's boards as the console holds them: opened (HELLO done) and paired. */
export interface LabFleet {
  ids: string[]
  paths: Map<string, string>
  sessions: Map<string, BoardSession>
  keys: Map<string, Uint8Array>
}

export interface FleetDeps {
  boards: BoardService
  fleet: FleetService
  jobs: JobService
  lab: VirtualLab
  /** Boards the console has met, by id (where a board was last seen). */
  directory: BoardDirectory
}

/** Plugs in (or finds) the scenario's virtual boards, opens their sessions and pairs them. */
export async function openLabFleet(deps: FleetDeps, base: Base): Promise<LabFleet> {
  const paths = base.onPorts ? await portsOf(deps, base) : await deps.lab.ensure(base.labName ?? base.scenario.name, base.key, base.part, { gateways: base.gateways })
  const sessions = new Map<string, BoardSession>()
  const keys = new Map<string, Uint8Array>()
  for (const [id, path] of paths) {
    const s = await deps.boards.session(path)
    const info = await s.ready()
    if (!info.paired || !(await deps.boards.keys.get(id))) await deps.boards.pair(path)
    sessions.set(id, s)
    keys.set(id, (await deps.boards.keys.get(id)) as Uint8Array)
  }
  return { ids: [...paths.keys()], paths, sessions, keys }
}

/**
 * The scenario's boards among the ports the console can open: those `diredi emulate --scenario` runs in
 * their own processes (announced by board id), or boards the fleet has met on a port. Each board holds its
 * own data; a board that is missing is named with what to do.
 */
async function portsOf(deps: FleetDeps, base: Base): Promise<Map<string, string>> {
  const ports = await deps.boards.ports()
  const out = new Map<string, string>()
  const missing: string[] = []
  for (const b of base.part.boards) {
    const announced = ports.find((p) => p.source === 'emulator' && p.serialNumber === b.id)?.path
    const known = deps.directory.list().find((r) => r.id === b.id)?.port ?? undefined
    const path = announced ?? known
    if (path) out.set(b.id, path)
    else missing.push(b.id)
  }
  if (missing.length) {
    throw new AppError('BOARD_DISCONNECTED', `scenario ${base.scenario.name}'s boards ${missing.join(', ')} are on no port this console knows; start them (diredi emulate --scenario FILE) or plug them in, or run the round on in-process boards (without --on-ports)`)
  }
  return out
}

/** Counts every message from the fleet's boards into the ledger until the returned function is called. */
export function listen(f: LabFleet, ledger: PrivacyLedger): () => void {
  const offs = [...f.sessions.entries()].map(([id, s]) => s.on('received', (m) => ledger.received(id, m.name, m.bytes)))
  return () => offs.forEach((off) => off())
}

/**
 * Rolls an artifact out to the fleet's boards through the fleet layer (docs/method.md §2 and §7: trial,
 * golden check, confirm; four at a time; any failure leaves a board on its previous model).
 */
export async function rollOut(deps: FleetDeps, f: LabFleet, artifact: { id: string; hash: string }, signal: AbortSignal): Promise<RolloutSummary> {
  const { jobId } = await deps.fleet.rollouts.start({ artifactId: artifact.id, artifactHash: artifact.hash, boards: f.ids, concurrency: 4, abortAfter: null })
  const stop = () => deps.jobs.cancel(jobId)
  signal.addEventListener('abort', stop)
  try {
    const job = await deps.jobs.wait(jobId)
    const summary = (job.result as { summary?: RolloutSummary } | null)?.summary
    if (job.state !== 'succeeded' || !summary) throw new AppError('FLASH_FAILED', `rollout ${jobId} ${job.state}${job.error ? `: ${job.error.message}` : ''}`)
    return summary
  } finally {
    signal.removeEventListener('abort', stop)
  }
}

/** Each board's accuracy on its own test data with the model it runs (aggregates only, EVAL_PRIVATE). */
export async function evalBoards(deps: FleetDeps, f: LabFleet): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const [id, path] of f.paths) out.set(id, (await deps.boards.evalPrivate(path, 'test')).accuracy)
  return out
}

/**
 * Each board's accuracy with a candidate it runs on trial only (flashed, golden-checked, evaluated,
 * then reverted): docs/method.md §7 (b) without flashing anything for good.
 */
export async function trialEval(deps: FleetDeps, f: LabFleet, artifact: Uint8Array, signal: AbortSignal): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const golden = goldenSet(artifact, 8)
  for (const [id, s] of f.sessions) {
    await flashArtifact(s, artifact, {
      golden,
      signal,
      trialOnly: async (t) => void out.set(id, (await deps.boards.evalPrivate(t.path, 'test')).accuracy)
    })
  }
  return out
}

/** Stages the teacher's artifact in a tutor board's other slot (written and verified, not booted). */
export async function stageTeacher(f: LabFleet, id: string, artifact: Uint8Array, signal: AbortSignal): Promise<void> {
  await flashArtifact(f.sessions.get(id) as BoardSession, artifact, { golden: { inputs: [], outputs: [] }, signal, stageOnly: true })
}
