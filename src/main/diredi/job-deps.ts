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

/**
 * A job's progress with a linear ETA from the time since it started (rounds and experiments have no
 * steady step rate to go by; this is what people expect to see on a bar).
 */
export function withEta(progress: (f: number, m?: Record<string, number>, eta?: number | null) => void): (f: number, m?: Record<string, number>) => void {
  const t0 = performance.now()
  return (f, m) => {
    const elapsed = (performance.now() - t0) / 1000
    progress(f, m, f > 0.02 && f < 1 ? Math.round((elapsed * (1 - f)) / f) : null)
  }
}

/** The API's tuning options as settings overrides. */
export function overridesOf(p: { boardEpochs?: number; boardLr?: number; mu?: number; lambda?: number; beta?: number; gamma?: number }): Partial<Settings> {
  return { boardEpochs: p.boardEpochs, boardLr: p.boardLr, mu: p.mu, lambda: p.lambda, beta: p.beta, gamma: p.gamma }
}

