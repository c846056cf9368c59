/** Display helpers shared by the views. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—'
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

export function formatPercent(x: number | null | undefined, digits = 1): string {
  return x == null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`
}

export function formatBytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—'
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(2)} MB`
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString()
}

export function shortHash(h: string | null | undefined, n = 10): string {
  return h ? h.slice(0, n) : '—'
}

/**
 * One metric for display: accuracies and agreement rates (keys with acc/agree, values in 0..1) as
 * percentages, byte counts as sizes, integers as integers, other numbers to 4 significant digits.
 */
export function formatMetric(key: string, v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (/acc|agree/i.test(key) && v >= 0 && v <= 1) return formatPercent(v, 2)
  if (/bytes$/i.test(key)) return formatBytes(v)
  if (Number.isInteger(v)) return v.toLocaleString('en')
  return Number(v.toPrecision(4)).toString()
}

export function formatShape(shape: number[] | null | undefined): string {
  return shape ? `[${shape.join(', ')}]` : '—'
}

/** A named metric of a record for a table cell, or '—' when the record does not hold it. */
export function metricCell(metrics: Record<string, number>, key: string): string {
  const v = metrics[key]
  return v === undefined ? '—' : formatMetric(key, v)
}
