import { randomUUID } from 'node:crypto'
import type { RoundBoard } from '../../../shared/api/diredi'
import { evalBoards, listen, openLabFleet, rollOut } from '../fleet-ops'
import { PrivacyLedger } from '../ledger'
import type { Base } from '../setup'
import type { Round, RoundCtx, RoundDeps, RoundMode, RoundStart } from './context'
import { VpMeasure } from './vp'

/**
 * Opens a round: its id, the scenario's boards (opened and paired), the privacy ledger listening to every
 * message they send (with each board's private data counted), and a report row per board. The returned
 * `stop` ends the listening.
 */
export async function openRound(deps: RoundDeps, base: Base, start: RoundStart, mode: RoundMode, ctx: RoundCtx): Promise<{ round: Round; stop: () => void }> {
  const t0 = performance.now()
  const startedAt = new Date().toISOString()
  const id = `round-${startedAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`
  const { part } = base
  const ledger = new PrivacyLedger(id)
  const fleet = await openLabFleet(deps, base)
  const stop = listen(fleet, ledger)
  const per = part.inputShape.reduce((a, b) => a * b, 1)
  for (const b of part.boards) ledger.privateData(b.id, (b.train.n + b.test.n) * (per * 4 + 4))
  const rows = new Map<string, RoundBoard>(
    part.boards.map((b) => [b.id, { boardId: b.id, adapt: mode.form(b.id), nTrain: b.train.n, nTest: b.test.n, accBefore: null, accAdapted: null, accCandidate: null, knowledgeBytes: 0, error: null }])
  )
  const round: Round = { deps, base, start, mode, ctx, id, startedAt, t0, fleet, ledger, rows, vp: new VpMeasure(deps.ml.pool, part.validation) }
  return { round, stop }
}

/**
 * Step 2 (docs/method.md §2): S_r's artifact on every board through the fleet layer (a no-op where it
 * already runs), then each board's accuracy with it on its own test data. Returns those accuracies.
 */
export async function dispatch(r: Round): Promise<Map<string, number>> {
  const { deps, fleet, start, ctx } = r
  ctx.log(`round ${r.mode.number}: dispatching ${start.artifact.id} (S_r ${start.student.id}) to ${fleet.ids.length} boards`)
  await rollOut(deps, fleet, start.artifact, ctx.signal)
  const before = await evalBoards(deps, fleet)
  for (const [b, a] of before) (r.rows.get(b) as RoundBoard).accBefore = a
  ctx.progress(0.08)
  return before
}
