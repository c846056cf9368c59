import { METHODS, type ExperimentReport } from '../../shared/api/diredi'
import { barChartSvg, lineChartSvg } from './svg'

/**
 * An experiment's chart: acc_user and acc_presumed per method (bars, the last round), and acc_user per
 * round (lines; methods without rounds hold their one value), stacked in one SVG.
 */
export function experimentChartSvg(e: ExperimentReport): string {
  const methods = METHODS.filter((m) => e.table.some((r) => r.method === m))
  const bars = barChartSvg({
    title: `${e.scenario}: accuracy per method (round ${e.rounds})`,
    series: ['acc_user', 'acc_presumed'],
    groups: methods.map((m) => {
      const r = e.table.find((x) => x.method === m)
      return { label: m, values: [(r?.acc_user ?? NaN) * 100, (r?.acc_presumed ?? NaN) * 100] }
    }),
    yMax: 100,
    yLabel: 'accuracy (%)',
    width: 760,
    height: 320
  })
  const rounds = Array.from({ length: e.rounds + 1 }, (_, i) => i)
  const lines = lineChartSvg({
    title: `${e.scenario}: users' accuracy per round`,
    xLabels: rounds.map((r) => (r === 0 ? 'start' : `round ${r}`)),
    series: methods.map((m) => {
      const none = e.perRound.find((x) => x.method === 'none')
      return {
        name: m,
        values: rounds.map((r) => {
          if (r === 0) return (none?.acc_user ?? NaN) * 100
          const rows = e.perRound.filter((x) => x.method === m)
          const at = rows.find((x) => x.round === r) ?? (rows.length === 1 ? rows[0] : undefined)
          return (at?.acc_user ?? NaN) * 100
        })
      }
    }),
    yLabel: 'acc_user (%)',
    width: 760,
    height: 320
  })
  const inner = (svg: string) => svg.replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '')
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="760" height="650" viewBox="0 0 760 650" font-family="sans-serif" role="img" aria-label="experiment chart">',
    `<g>${inner(bars)}</g>`,
    `<g transform="translate(0 330)">${inner(lines)}</g>`,
    '</svg>'
  ].join('\n')
}
