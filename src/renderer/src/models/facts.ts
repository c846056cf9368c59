/**
 * Readers of the free-form parts of registry records (`meta`, `metrics`) for display. Records come from
 * several producers (training, distillation, quantisation), so every reader checks the shape it finds
 * and returns null rather than guessing: the UI shows a figure only when a record really holds it.
 */
import { inferShapes, type LayerSpec, type ModelSpec } from '../../../shared/model/spec'

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/**
 * The confusion matrix a record holds, confusion[true][predicted] counts, from `meta.confusion` or an
 * evaluation report kept in `meta.evaluation.confusion`. Null unless it is a square number[][] of
 * `classes` rows (when classes is given).
 */
export function readConfusion(meta: Record<string, unknown>, classes?: number): number[][] | null {
  const m = meta.confusion ?? (isObj(meta.evaluation) ? meta.evaluation.confusion : undefined)
  if (!Array.isArray(m) || m.length === 0) return null
  const n = m.length
  if (classes !== undefined && n !== classes) return null
  for (const row of m) if (!Array.isArray(row) || row.length !== n || !row.every(isNum)) return null
  return m as number[][]
}

/**
 * Per-class accuracy (0..1, null where a class had no samples) from `meta.perClass` (numbers, or
 * `{ accuracy }` objects as evaluation reports hold them) or `meta.evaluation.perClass`.
 */
export function readPerClass(meta: Record<string, unknown>): Array<number | null> | null {
  const p = meta.perClass ?? (isObj(meta.evaluation) ? meta.evaluation.perClass : undefined)
  if (!Array.isArray(p) || p.length === 0) return null
  const out: Array<number | null> = []
  for (const v of p) {
    if (isNum(v)) out.push(v)
    else if (v === null) out.push(null)
    else if (isObj(v) && (isNum(v.accuracy) || v.accuracy === null)) out.push(v.accuracy as number | null)
    else return null
  }
  return out
}

/** Per-class accuracy computed from a confusion matrix (row c: true class c); null for empty rows. */
export function perClassFromConfusion(c: number[][]): Array<number | null> {
  return c.map((row, i) => {
    const n = row.reduce((a, b) => a + b, 0)
    return n ? row[i] / n : null
  })
}

export type EpochRow = Record<string, number> & { epoch: number }

/** Training history (`meta.history`: one object of numbers per epoch with an `epoch` field), or null. */
export function readHistory(meta: Record<string, unknown>): EpochRow[] | null {
  const h = meta.history
  if (!Array.isArray(h) || h.length === 0) return null
  if (!h.every((e) => isObj(e) && isNum(e.epoch))) return null
  return h.map((e) => Object.fromEntries(Object.entries(e as Record<string, unknown>).filter(([, v]) => isNum(v))) as EpochRow)
}

/** The budget a student was made for (`meta.budget.weightsKb`, KB of int8 weights), or null. */
export function readBudgetKb(meta: Record<string, unknown>): number | null {
  return isObj(meta.budget) && isNum(meta.budget.weightsKb) ? meta.budget.weightsKb : null
}

export interface LayerRow {
  index: number
  type: LayerSpec['type']
  /** The layer's settings in one line, e.g. "8 filters 3×3 /1 same relu". */
  config: string
  /** Output shape of one sample (no batch dimension), or null if the spec does not add up. */
  output: number[] | null
  params: number
}

const pair = (p: [number, number]) => `${p[0]}×${p[1]}`

function describe(l: LayerSpec): string {
  switch (l.type) {
    case 'dense':
      return `${l.units} units, ${l.activation}`
    case 'conv2d':
      return `${l.filters} filters ${pair(l.kernel)}, stride ${pair(l.strides)}, ${l.padding}, ${l.activation}`
    case 'depthwiseConv2d':
      return `${pair(l.kernel)} ×${l.depthMultiplier}, stride ${pair(l.strides)}, ${l.padding}, ${l.activation}`
    case 'maxPool2d':
    case 'avgPool2d':
      return `${pair(l.pool)}, stride ${pair(l.strides)}, ${l.padding}`
    case 'reshape':
      return `to [${l.shape.join(', ')}]`
    default:
      return ''
  }
}

/** The architecture as rows: each layer with its settings, output shape and weight count. */
export function layerRows(spec: ModelSpec): LayerRow[] {
  let shapes: ReturnType<typeof inferShapes> | null = null
  try {
    shapes = inferShapes(spec)
  } catch {
    shapes = null
  }
  return spec.layers.map((l, i) => ({
    index: i,
    type: l.type,
    config: describe(l),
    output: shapes ? shapes.outputs[i] : null,
    params: shapes ? shapes.weights[i].reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0) : 0
  }))
}
