/**
 * Small, dependency-free SVG charts for files the console writes (experiment charts, standalone QA
 * reports): they must open anywhere, offline, with no script.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
const PALETTE = ['#1d4ed8', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#4b5563']

export interface BarGroup {
  label: string
  /** One value per series; NaN draws nothing. */
  values: number[]
}

/** Grouped bars, values in [0, yMax]. */
export function barChartSvg(opts: { title: string; series: string[]; groups: BarGroup[]; yMax?: number; yLabel?: string; width?: number; height?: number }): string {
  const W = opts.width ?? 720
  const H = opts.height ?? 320
  const m = { l: 48, r: 12, t: 36, b: 56 }
  const yMax = opts.yMax ?? Math.max(1e-9, ...opts.groups.flatMap((g) => g.values.filter(Number.isFinite)))
  const gw = (W - m.l - m.r) / Math.max(1, opts.groups.length)
  const bw = (gw * 0.8) / Math.max(1, opts.series.length)
  const y = (v: number) => m.t + (H - m.t - m.b) * (1 - v / yMax)
  const parts: string[] = []
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`)
  }
  opts.groups.forEach((g, gi) => {
    const x0 = m.l + gi * gw + gw * 0.1
    g.values.forEach((v, si) => {
      if (!Number.isFinite(v)) return
      parts.push(`<rect x="${x0 + si * bw}" y="${y(v)}" width="${bw - 1}" height="${H - m.b - y(v)}" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(`${g.label} · ${opts.series[si]}: ${fmt(v)}`)}</title></rect>`)
    })
    parts.push(`<text x="${x0 + gw * 0.4}" y="${H - m.b + 14}" text-anchor="middle" font-size="11">${esc(g.label)}</text>`)
  })
  return frame(W, H, opts.title, opts.yLabel, parts, opts.series, m)
}

/** Lines over x = 0..n-1 (e.g. rounds), one per series. */
export function lineChartSvg(opts: { title: string; series: Array<{ name: string; values: number[] }>; xLabels: string[]; yLabel?: string; width?: number; height?: number }): string {
  const W = opts.width ?? 720
  const H = opts.height ?? 320
  const m = { l: 48, r: 40, t: 36, b: 56 }
  const vals = opts.series.flatMap((s) => s.values.filter(Number.isFinite))
  let lo = Math.min(...vals)
  let hi = Math.max(...vals)
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1]
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.01, hi + 0.01]
  const n = Math.max(1, opts.xLabels.length - 1)
  const x = (i: number) => m.l + ((W - m.l - m.r) * i) / n
  const y = (v: number) => m.t + (H - m.t - m.b) * (1 - (v - lo) / (hi - lo))
  const parts: string[] = []
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`)
  }
  opts.xLabels.forEach((l, i) => parts.push(`<text x="${x(i)}" y="${H - m.b + 14}" text-anchor="middle" font-size="11">${esc(l)}</text>`))
  opts.series.forEach((s, si) => {
    const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${x(i)},${y(v)}` : null)).filter(Boolean)
    const c = PALETTE[si % PALETTE.length]
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.join(' ')}"/>`)
    s.values.forEach((v, i) => Number.isFinite(v) && parts.push(`<circle cx="${x(i)}" cy="${y(v)}" r="3" fill="${c}"><title>${esc(`${s.name} @ ${opts.xLabels[i]}: ${fmt(v)}`)}</title></circle>`))
  })
  return frame(W, H, opts.title, opts.yLabel, parts, opts.series.map((s) => s.name), m)
}

function frame(W: number, H: number, title: string, yLabel: string | undefined, body: string[], legend: string[], m: { l: number; b: number }): string {
  const leg = legend.map((name, i) => `<rect x="${m.l + i * 110}" y="${H - 22}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${m.l + 14 + i * 110}" y="${H - 13}" font-size="11">${esc(name)}</text>`)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" role="img" aria-label="${esc(title)}">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
    yLabel ? `<text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle" font-size="11">${esc(yLabel)}</text>` : '',
    ...body,
    ...leg,
    '</svg>'
  ].join('\n')
}

function fmt(v: number): string {
  if (v === 0) return '0'
  return Math.abs(v) >= 10 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(3)
}

export { esc as escapeXml }
