/**
 * Display shaping of DiReDi reports (no decisions: the console made them). Reports are JSON, so a
 * NaN the console computed (a class with no samples) arrives as null; both read as "no figure".
 */
import type { MethodRow, RoundSummary } from '../../../shared/api/diredi'
import type { QaCheck, QaReport } from '../../../shared/diredi/qa'
import type { Ledger } from '../../../shared/diredi/ledger'
import { formatPercent } from '../format'

/** A figure, or null when the report holds none (null, NaN, missing). */
export const figure = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/**
 * The ids of the rounds a finished `diredi.round` job made, in order: its result is
 * `{ rounds: RoundSummary[] }`. Empty when the result is not of that shape (another kind of job).
 */
export function roundIds(result: unknown): string[] {
  const rounds = (result as { rounds?: unknown } | null)?.rounds
  if (!Array.isArray(rounds)) return []
  return rounds.map((r) => (r as Partial<RoundSummary> | null)?.id).filter((id): id is string => typeof id === 'string' && id !== '')
}

/** The last of them (the demo opens its QA report), or null. */
export function lastRoundId(result: unknown): string | null {
  const rounds = (result as { rounds?: unknown } | null)?.rounds
  if (!Array.isArray(rounds) || !rounds.length) return null
  const last = rounds[rounds.length - 1] as Partial<RoundSummary> | null
  return typeof last?.id === 'string' && last.id ? last.id : null
}

/**
 * The scenario a form starts on: for the demo, the first made for demonstrations (named `demo...`,
 * seconds per round) if the library has one, else the first; for experiments, the first.
 */
export function defaultScenario(names: string[], kind: 'round' | 'experiment'): string {
  return (kind === 'round' ? names.find((n) => n.startsWith('demo')) : undefined) ?? names[0] ?? ''
}

/** Every message type any board sent in the round, in a stable order (the ledger's columns). */
export function ledgerTypes(l: Ledger): string[] {
  const t = new Set<string>()
  for (const b of l.boards) for (const k of Object.keys(b.bytesByType)) t.add(k)
  return [...t].sort()
}

/** Knowledge bytes as a share of the private data they stand for (null when the size is unknown). */
export const knowledgeShare = (knowledge: number, privateData: number | null): number | null => (privateData ? knowledge / privateData : null)

/** A QA check's measured figure and limit in its own unit: points for regressions, a share for agreement. */
export function checkFigures(c: QaCheck): { measured: string; limit: string } {
  if (c.id === 'int8_agreement') return { measured: formatPercent(c.measured, 2), limit: `≥ ${formatPercent(c.limit, 2)}` }
  const pts = (v: number) => `${v.toFixed(2)} pts`
  // a negative drop is a gain: say so rather than show "-3.33 pts drop"
  const measured = c.id === 'boards' ? `${pts(c.measured)} worst fall` : c.measured < 0 ? `${pts(-c.measured)} gain` : `${pts(c.measured)} drop`
  return { measured, limit: `≤ ${pts(c.limit)}` }
}

/** Per-class V_p accuracy before and after of one model, for a bar chart; `classNames` label the classes. */
export function perClassBars(qa: QaReport, who: 'student' | 'teacher', classNames?: string[]) {
  const pc = qa.perClass[who]
  const n = Math.max(pc.before.length, pc.after.length)
  return {
    categories: Array.from({ length: n }, (_, c) => classNames?.[c] ?? String(c)),
    series: [
      { name: 'before', values: Array.from({ length: n }, (_, c) => figure(pc.before[c])) },
      { name: 'after', values: Array.from({ length: n }, (_, c) => figure(pc.after[c])) }
    ]
  }
}

/** A screen reader's reading of per-class bars: "0 91.0% → 93.0%, 1 ...". */
export function perClassLabel(title: string, bars: ReturnType<typeof perClassBars>): string {
  const [b, a] = bars.series
  return `${title}: ${bars.categories.map((c, i) => `${c} ${formatPercent(b.values[i])} → ${formatPercent(a.values[i])}`).join(', ')}`
}

/**
 * One line per method of a figure over rounds, for the experiment chart. Methods measured once (none,
 * local, oracle have one row) hold their value across every round, as reference lines.
 */
export function methodLines(perRound: MethodRow[], key: 'acc_user' | 'acc_presumed'): Array<{ name: string; points: Array<[number, number]> }> {
  const by = new Map<string, Array<[number, number]>>()
  for (const r of perRound) {
    const v = figure(r[key])
    if (v === null) continue
    by.set(r.method, [...(by.get(r.method) ?? []), [r.round, v]])
  }
  const rounds = [...new Set(perRound.map((r) => r.round))].sort((a, b) => a - b)
  return [...by.entries()].map(([name, points]) => ({
    name,
    points: points.length === 1 && rounds.length > 1 ? rounds.map((r) => [r, points[0][1]] as [number, number]) : points.sort((a, b) => a[0] - b[0])
  }))
}
