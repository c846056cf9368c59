import { AppError } from '../../core/errors'
import type { ModelSpec } from '../../../shared/model/spec'
import { candidates, type StudentFamily } from './candidates'
import { footprint, kb, type Footprint } from './footprint'

export interface Budget {
  /** KB (1024 bytes) of int8 weights the board can hold. */
  weightsKb: number
  /** KB of RAM for activations; null when the board declares no limit. */
  ramKb: number | null
}

export interface StudentChoice {
  family: StudentFamily
  name: string
  spec: ModelSpec
  footprint: Footprint
  /** The ranking score (see `expectedScore`); higher is expected to be more accurate. */
  score: number
  /** How many candidates fitted the budget. */
  fitted: number
}

/**
 * Expected accuracy, as a ranking: log2 of the parameters plus half the log2 of the MACs, less a
 * penalty for heads that average the image away. Capacity counts first; compute per weight (what
 * convolutions add by reusing each weight across the image) earns a bonus, so at equal weights a
 * conv net outranks a dense one, and a dense net needs about 4x the weights to outrank it. The
 * penalty (1.5, about 3x the parameters) is measured: on the mnist digits at 32 KB, distilled alike,
 * "dsconv 32-64-128" (global average pool) reached 96.4% test accuracy in 15 epochs where "conv 16-32
 * flatten" reached 98.1% in 10. A hidden dense layer narrower than the number of classes is a
 * bottleneck the logits cannot recover from, and costs 2. A heuristic, stated so it can be argued with.
 */
export function expectedScore(f: Footprint, spec?: ModelSpec): number {
  const layers = spec?.layers ?? []
  const pooledHead = layers.some((l) => l.type === 'globalAvgPool2d') ? 1.5 : 0
  const bottleneck = layers.some((l, i) => l.type === 'dense' && i < layers.length - 1 && spec && l.units < spec.classes) ? 2 : 0
  return Math.log2(f.params) + 0.5 * Math.log2(Math.max(1, f.macs)) - pooledHead - bottleneck
}

/**
 * The student expected to be most accurate among those that fit the budget (candidates.ts),
 * restricted to one family when asked. Refuses with BUDGET_UNFITTABLE, naming the smallest
 * requirement, when none fits.
 */
export function chooseStudent(inputShape: number[], classes: number, budget: Budget, family?: StudentFamily | 'auto'): StudentChoice {
  const all = candidates(inputShape, classes)
    .filter((c) => !family || family === 'auto' || c.family === family)
    .map((c) => ({ ...c, footprint: footprint(c.spec) }))
  if (all.length === 0) throw new AppError('INVALID_INPUT', `no ${family} students exist for inputs of shape [${inputShape}]; the convolutional families need images of at least 8x8`)
  const wLimit = budget.weightsKb * 1024
  const rLimit = budget.ramKb === null ? Infinity : budget.ramKb * 1024
  const fits = all.filter((c) => c.footprint.weightBytes <= wLimit && c.footprint.ramBytes <= rLimit)
  if (fits.length === 0) {
    const minW = Math.min(...all.map((c) => c.footprint.weightBytes))
    const minR = Math.min(...all.map((c) => c.footprint.ramBytes))
    const withinRam = all.filter((c) => c.footprint.ramBytes <= rLimit)
    const withinW = all.filter((c) => c.footprint.weightBytes <= wLimit)
    const needW = withinRam.length ? Math.min(...withinRam.map((c) => c.footprint.weightBytes)) : minW
    const needR = withinW.length ? Math.min(...withinW.map((c) => c.footprint.ramBytes)) : minR
    const parts = [`${kb(needW)} KB of weights`]
    if (budget.ramKb !== null) parts.push(`${kb(needR)} KB of RAM`)
    throw new AppError(
      'BUDGET_UNFITTABLE',
      `no student fits ${budget.weightsKb} KB of weights${budget.ramKb === null ? '' : ` and ${budget.ramKb} KB of RAM`}: the smallest needs ${parts.join(' and ')} for inputs [${inputShape}] and ${classes} classes; raise the budget`,
      { smallestWeightsKb: kb(needW), smallestRamKb: kb(needR), budget }
    )
  }
  let best = fits[0]
  let bestScore = expectedScore(best.footprint, best.spec)
  for (const c of fits.slice(1)) {
    const s = expectedScore(c.footprint, c.spec)
    // Ties go to the smaller model.
    if (s > bestScore + 1e-9 || (Math.abs(s - bestScore) <= 1e-9 && c.footprint.weightBytes < best.footprint.weightBytes)) {
      best = c
      bestScore = s
    }
  }
  return { family: best.family, name: best.name, spec: best.spec, footprint: best.footprint, score: bestScore, fitted: fits.length }
}
