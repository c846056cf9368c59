import type { EvalReport } from '../../shared/api/ml'
import type { SpecModel } from '../../shared/model/spec'
import { AppError } from '../core/errors'
import type { LoadedDataset } from '../store/types'
import { argmaxRows } from '../../shared/argmax'
import { scoreLabels } from './eval'
import { predictLogits } from './predict'
import type { MlPool } from './worker/pool'

/** Checks a model takes the dataset's samples and gives its classes; MODEL_INVALID otherwise. */
export function checkFits(model: SpecModel, modelName: string, ds: LoadedDataset): void {
  const { spec } = model
  const r = ds.record
  if (spec.inputShape.join() !== r.inputShape.join() || spec.classes !== r.classes) {
    throw new AppError('MODEL_INVALID', `${modelName} takes inputs [${spec.inputShape}] and gives ${spec.classes} classes, but dataset ${r.name} has [${r.inputShape}] and ${r.classes}; pick a matching model or dataset`)
  }
}

/** Predicted labels of a float model on a split, computed on the pool's workers. Hold the pool. */
export async function predictLabels(pool: MlPool, model: SpecModel, split: { x: Float32Array; n: number }): Promise<Int32Array> {
  return argmaxRows(await predictLogits(pool, model, split.x, split.n), model.spec.classes)
}

/**
 * A float model's report on one split: accuracy, per-class accuracy, confusion, and agreement with a
 * reference model's predictions when given. (int8 artifacts are scored with `scoreLabels` on the
 * interpreter's predictions.)
 */
export async function evaluateModel(pool: MlPool, o: { model: SpecModel; modelId: string; ds: LoadedDataset; split: 'test' | 'train'; reference?: { model: SpecModel; id: string } | null }): Promise<EvalReport> {
  const t0 = performance.now()
  const split = o.ds[o.split]
  if (split.n === 0) throw new AppError('DATASET_INVALID', `dataset ${o.ds.record.name} has no ${o.split} samples to evaluate on`)
  const predicted = await predictLabels(pool, o.model, split)
  const ref = o.reference ? await predictLabels(pool, o.reference.model, split) : null
  const s = scoreLabels(predicted, split.y, o.model.spec.classes, ref)
  const names = o.ds.record.classNames
  return {
    modelId: o.modelId,
    datasetId: o.ds.record.id,
    split: o.split,
    n: s.n,
    accuracy: s.accuracy,
    perClass: s.perClass.map((p, c) => ({ class: c, name: names[c] ?? String(c), n: p.n, accuracy: p.accuracy })),
    confusion: s.confusion,
    agreement: o.reference && s.agreement !== null ? { referenceId: o.reference.id, rate: s.agreement } : null,
    seconds: (performance.now() - t0) / 1000
  }
}
