/** What the round and experiment jobs are given (service.ts builds it once), and how API options become settings. */
import type { DirediRecords } from './records'
import type { ScenarioLibrary } from './library'
import type { RoundDeps } from './round'
import type { Settings } from './settings'

export interface RoundJobDeps extends RoundDeps {
  dataDir: string
  records: DirediRecords
  library: ScenarioLibrary
}

/** The API's tuning options as settings overrides. */
export function overridesOf(p: { boardEpochs?: number; boardLr?: number; mu?: number; lambda?: number; beta?: number; gamma?: number }): Partial<Settings> {
  return { boardEpochs: p.boardEpochs, boardLr: p.boardLr, mu: p.mu, lambda: p.lambda, beta: p.beta, gamma: p.gamma }
}

