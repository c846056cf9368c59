import { sha256Hex } from '../core/hash'
import type { Scenario } from '../../shared/diredi/scenario'
import { ARTIFACT_FORMAT_VERSION } from '../../shared/int8'
import type { ModelSpec, SpecModel } from '../../shared/model/spec'
import { AppError } from '../core/errors'
import type { MlService } from '../ml/service'
import { quantizeInWorker } from '../ml/quantize/run'
import { defaultTeacherSpec } from '../ml/teacher'
import type { LoadedDataset, Registry } from '../store/types'
import { accuracy, logits, train } from '../ml/engine'
import { partition, type Partition } from './partition'
import { resolveSettings, type Settings } from './settings'

export interface ModelRef {
  id: string
  model: SpecModel
}

export interface ArtifactRef {
  id: string
  bytes: Uint8Array
  hash: string
  /** Share of V_p on which the int8 artifact's class equals the float model's. */
  agreement: number
}

/** A scenario resolved for a run: its data split, and the manufacturer's starting teacher and student. */
export interface Base {
  scenario: Scenario
  file: string
  ds: LoadedDataset
  part: Partition
  /** Identifies the data and models (a change of either makes new base models and new boards). */
  key: string
  settings: Settings
  teacher0: ModelRef
  student0: ModelRef
  artifact0: ArtifactRef
  /** The lab the boards live in (default: the scenario's name) and whether they are all gateways (the experiment's tutor form). */
  labName?: string
  gateways?: boolean
  /** Run on the boards found on the console's ports (board processes, USB) instead of in-process ones. */
  onPorts?: boolean
}

export interface SetupDeps {
  registry: Registry
  ml: MlService
}

type Log = (line: string) => void

/** The MLP teacher a scenario may ask for (faster to train than the default CNN). */
function mlpTeacher(inputShape: number[], classes: number): ModelSpec {
  const flat = inputShape.length > 1 ? [{ type: 'flatten' as const }] : []
  return { inputShape, classes, layers: [...flat, { type: 'dense', units: 512, activation: 'relu' }, { type: 'dense', units: 256, activation: 'relu' }, { type: 'dense', units: classes, activation: 'linear' }] }
}

/**
 * Resolves a scenario against its dataset and makes (or finds, from an earlier run) the manufacturer's
 * starting point: the teacher T_0 trained on the presumed data D_p only (it never sees a user sample), the
 * student S_0 distilled from it on D_p for the boards' budget (docs/method.md §1), and S_0's int8 artifact.
 * Models are kept in the registry under names that carry the run's key, so a second run reuses them.
 */
export async function prepareBase(deps: SetupDeps, scenario: Scenario, file: string, o: { teacher?: string; signal?: AbortSignal; log: Log; overrides?: Partial<Settings> }): Promise<Base> {
  const ds = await deps.registry.datasets.load(scenario.dataset)
  const part = partition(scenario, ds)
  const settings = resolveSettings(scenario, o.overrides ?? {})
  const key = sha256Hex(JSON.stringify({ ds: ds.record.id, seed: scenario.seed, presumed: scenario.presumed, models: scenario.models ?? {}, boards: scenario.boards })).slice(0, 10)
  const pool = deps.ml.pool
  const find = async (name: string) => {
    const rec = await deps.registry.models.get(name).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null
      throw e
    })
    return rec ? { id: rec.id, model: await deps.registry.models.load(rec.id) } : null
  }

  let teacher0: ModelRef
  if (o.teacher) {
    const rec = await deps.registry.models.get(o.teacher)
    const model = await deps.registry.models.load(rec.id)
    if (model.spec.inputShape.join() !== part.inputShape.join() || model.spec.classes !== part.classes) {
      throw new AppError('MODEL_INVALID', `teacher ${o.teacher} takes [${model.spec.inputShape}] with ${model.spec.classes} classes; scenario ${scenario.name}'s dataset has [${part.inputShape}] and ${part.classes}`)
    }
    teacher0 = { id: rec.id, model }
  } else {
    const name = `${safeName(scenario.name)}-t0-${key}`
    const found = await find(name)
    if (found) {
      teacher0 = found
      o.log(`teacher T_0: ${name} (trained earlier on D_p)`)
    } else {
      const spec = scenario.models?.teacher === 'mlp' ? mlpTeacher(part.inputShape, part.classes) : defaultTeacherSpec(part.inputShape, part.classes)
      o.log(`training teacher T_0 (${spec.layers.map((l) => l.type).join(' > ')}) on D_p only: ${part.presumed.n} presumed samples`)
      const model = await train(pool, { spec, data: part.presumed, epochs: settings.teacherEpochs, lr: 1e-3, seed: scenario.seed, signal: o.signal, onEpoch: (e, l) => o.log(`  T_0 epoch ${e}: loss ${l.toFixed(4)}`) })
      const acc = await accuracy(pool, model, part.validation)
      const rec = await deps.registry.models.put('teacher', model, { name, lineage: { datasetId: ds.record.id }, metrics: { testAcc: acc }, meta: { scenario: scenario.name, presumedSamples: part.presumed.n, trainedOn: 'presumed data D_p' } })
      teacher0 = { id: rec.id, model }
      o.log(`teacher T_0 ${rec.id}: ${(acc * 100).toFixed(2)}% on V_p`)
    }
  }

  const sName = `${safeName(scenario.name)}-s0-${key}-${teacher0.id.slice(0, 10)}`
  let student0 = await find(sName)
  if (student0) o.log(`student S_0: ${sName} (distilled earlier)`)
  else {
    const plan = deps.ml.planFor(part.inputShape, part.classes, { budgetKb: settings.budgetKb, family: settings.family })
    o.log(`distilling student S_0 (${plan.name}, ${plan.footprint.weightsKb} KB) from T_0 on D_p`)
    const zT = await logits(pool, teacher0.model, part.presumed)
    const model = await train(pool, { spec: plan.spec, data: part.presumed, targetLogits: zT, alpha: 0.3, tau: 4, epochs: settings.studentEpochs, lr: 2e-3, seed: scenario.seed + 1, signal: o.signal })
    const acc = await accuracy(pool, model, part.validation)
    const rec = await deps.registry.models.put('student', model, { name: sName, lineage: { teacherId: teacher0.id, datasetId: ds.record.id }, metrics: { testAcc: acc }, meta: { scenario: scenario.name, budgetKb: settings.budgetKb, plan: plan.name } })
    student0 = { id: rec.id, model }
    o.log(`student S_0 ${rec.id}: ${(acc * 100).toFixed(2)}% on V_p`)
  }
  const artifact0 = await artifactFor(deps, student0, part, o.signal)
  return { scenario, file, ds, part, key, settings, teacher0, student0, artifact0 }
}

/**
 * The int8 artifact of a model, checked against the float model on V_p: the one the registry already
 * holds for it (a later round, run or restart quantises nothing again), else a new one calibrated on D_p.
 */
export async function artifactFor(deps: SetupDeps, s: ModelRef, part: Partition, signal?: AbortSignal): Promise<ArtifactRef> {
  const held = (await deps.registry.artifacts.list())
    .filter((a) => a.modelId === s.id && typeof a.metrics.agreement === 'number' && a.metrics.testSamples === part.validation.n)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
  if (held) return { id: held.id, bytes: await deps.registry.artifacts.read(held.id), hash: held.hash, agreement: held.metrics.agreement }
  const per = part.inputShape.reduce((a, b) => a * b, 1)
  const k = Math.min(500, part.presumed.n)
  const r = await quantizeInWorker({ model: s.model, calibration: part.presumed.x.slice(0, k * per), testX: part.validation.x, testY: part.validation.y, options: {} }, signal)
  const rec = await deps.registry.artifacts.put(r.artifact, { modelId: s.id, formatVersion: ARTIFACT_FORMAT_VERSION, metrics: { int8Acc: r.evaluation.int8.accuracy, floatAcc: r.evaluation.float.accuracy, agreement: r.evaluation.agreement, testSamples: part.validation.n } })
  return { id: rec.id, bytes: r.artifact, hash: rec.hash, agreement: r.evaluation.agreement }
}

/** A scenario's name as the start of a registry name (which must start with a letter or digit; see store/names.ts). */
export const safeName = (s: string) => s.replace(/[^A-Za-z0-9._+-]+/g, '-').replace(/^[^A-Za-z0-9]+/, 's').slice(0, 40)
