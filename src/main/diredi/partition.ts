import { describeIssues, Scenario, type BoardEntry } from '../../shared/diredi/scenario'
import { Rng } from '../../shared/random'
import { AppError } from '../core/errors'
import type { DatasetSplit, LoadedDataset } from '../store/types'
import { applyCovariate, SPATIAL_FIELDS } from './transforms'

/** One board's private data, as it lives on the board (and never crosses to the console). */
export interface BoardData {
  id: string
  entry: BoardEntry
  train: DatasetSplit
  test: DatasetSplit
  /** Per class, how many training samples the board holds (after relabelling). */
  classCounts: number[]
}

/** A scenario resolved against its dataset: who holds which samples. */
export interface Partition {
  scenario: Scenario
  /** D_p: the manufacturer's labelled presumed data (a fraction of the dataset's training split). */
  presumed: DatasetSplit
  /** V_p: the manufacturer's QA suite (the dataset's test split, untouched). */
  validation: DatasetSplit
  boards: BoardData[]
  inputShape: number[]
  classes: number
}

const fail = (field: string, why: string): never => {
  throw new AppError('SCENARIO_INVALID', `scenario ${field}: ${why}`, { field })
}

/** Validates a parsed JSON value as a scenario; every problem is named with its field. */
export function parseScenario(json: unknown): Scenario {
  const r = Scenario.safeParse(json)
  if (!r.success) {
    const lines = describeIssues(r.error.issues)
    throw new AppError('SCENARIO_INVALID', `invalid scenario: ${lines.join('; ')}`, { issues: lines })
  }
  return r.data
}

/**
 * Splits a dataset as the scenario says. The presumed share is drawn from the training split; each
 * board's samples come from the rest, without overlap with each other or the presumed data, drawn by
 * the board's prior (or uniformly), then relabelled (preference) and transformed (covariate).
 * Deterministic for a given scenario seed and dataset.
 */
export function partition(scenario: Scenario, ds: LoadedDataset): Partition {
  const { inputShape, classes } = ds.record
  const per = inputShape.reduce((a, b) => a * b, 1)
  const rng = new Rng(scenario.seed)
  const order = rng.fork('presumed').shuffle(Array.from({ length: ds.train.n }, (_, i) => i))
  const nPresumed = Math.floor(scenario.presumed.fraction * ds.train.n)
  if (nPresumed < 1) fail('presumed.fraction', `leaves no presumed data from ${ds.train.n} training samples`)
  const presumed = gather(ds.train, order.slice(0, nPresumed), per)

  // The pool, by class, in a seeded order; boards take from the front.
  const byClass: number[][] = Array.from({ length: classes }, () => [])
  for (const i of order.slice(nPresumed)) byClass[ds.train.y[i]].push(i)
  const next = new Int32Array(classes)

  const boards = scenario.boards.map((b, bi) => {
    const where = `boards.${bi} (${b.id})`
    checkEntry(b, bi, classes, inputShape)
    const brng = rng.fork(`board:${b.id}`)
    const total = b.samples + b.test_samples
    const allowed = b.prior ? b.prior.classes : Array.from({ length: classes }, (_, c) => c)
    const weights = b.prior?.weights ?? allowed.map((c) => byClass[c].length - next[c])
    if (b.prior?.weights) {
      // A stated mix must be met: a class that runs out would silently change the user's prior.
      const sum = b.prior.weights.reduce((x, y) => x + y, 0)
      b.prior.classes.forEach((c, j) => {
        const want = Math.round((total * b.prior!.weights![j]) / sum)
        const left = byClass[c].length - next[c]
        if (want > left) fail(`${where}.samples`, `its prior asks for about ${want} samples of class ${c} (weight ${b.prior!.weights![j]} of ${total}), but only ${left} are left after the presumed data and earlier boards; ask for fewer samples or lower presumed.fraction`)
      })
    }
    const picked: number[] = []
    for (let k = 0; k < total; k++) {
      const c = drawClass(allowed, weights, (c) => byClass[c].length - next[c] > 0, brng)
      if (c < 0) fail(`${where}.samples`, `asks for ${total} samples of classes [${allowed}], but only ${picked.length} are left after the presumed data and earlier boards; ask for fewer or lower presumed.fraction`)
      picked.push(byClass[c][next[c]++])
    }
    brng.shuffle(picked)
    const relabel = b.preference?.relabel ?? {}
    const mapLabel = (y: number) => (relabel[String(y)] ?? y)
    const make = (idx: number[], label: string) => {
      const s = gather(ds.train, idx, per)
      for (let i = 0; i < s.n; i++) s.y[i] = mapLabel(s.y[i])
      if (b.covariate) {
        const trng = brng.fork(`covariate:${label}`)
        for (let i = 0; i < s.n; i++) s.x.set(applyCovariate(s.x.subarray(i * per, (i + 1) * per), inputShape, b.covariate, trng), i * per)
      }
      return s
    }
    const train = make(picked.slice(0, b.samples), 'train')
    const test = make(picked.slice(b.samples), 'test')
    const classCounts = new Array<number>(classes).fill(0)
    for (let i = 0; i < train.n; i++) classCounts[train.y[i]]++
    return { id: b.id, entry: b, train, test, classCounts }
  })
  return { scenario, presumed, validation: ds.test, boards, inputShape, classes }
}

function checkEntry(b: BoardEntry, bi: number, classes: number, shape: number[]): void {
  const where = `boards.${bi} (${b.id})`
  for (const [k, c] of (b.prior?.classes ?? []).entries()) if (c >= classes) fail(`${where}.prior.classes.${k}`, `class ${c} is out of range: the dataset has classes 0..${classes - 1}`)
  for (const [from, to] of Object.entries(b.preference?.relabel ?? {})) {
    if (Number(from) >= classes) fail(`${where}.preference.relabel.${from}`, `class ${from} is out of range 0..${classes - 1}`)
    if (to >= classes) fail(`${where}.preference.relabel.${from}`, `target class ${to} is out of range 0..${classes - 1}`)
  }
  if (b.covariate && shape.length !== 3) {
    for (const f of SPATIAL_FIELDS) if (b.covariate[f]) fail(`${where}.covariate.${f}`, `needs image data (height, width, channels); this dataset's samples have shape [${shape}]`)
  }
}

/** Picks a class with probability proportional to its weight among those still available; -1 if none. */
function drawClass(classes: number[], weights: number[], available: (c: number) => boolean, rng: Rng): number {
  let total = 0
  for (let i = 0; i < classes.length; i++) if (available(classes[i])) total += weights[i]
  if (total <= 0) return -1
  let t = rng.next() * total
  for (let i = 0; i < classes.length; i++) {
    if (!available(classes[i])) continue
    t -= weights[i]
    if (t < 0) return classes[i]
  }
  for (let i = classes.length - 1; i >= 0; i--) if (available(classes[i])) return classes[i]
  return -1
}

function gather(src: DatasetSplit, idx: number[], per: number): DatasetSplit {
  const x = new Float32Array(idx.length * per)
  const y = new Int32Array(idx.length)
  idx.forEach((j, i) => {
    x.set(src.x.subarray(j * per, (j + 1) * per), i * per)
    y[i] = src.y[j]
  })
  return { x, y, n: idx.length }
}
