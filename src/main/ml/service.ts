import { basename, dirname, resolve } from 'node:path'
import type { JobInfo } from '../../shared/api/jobs'
import type { DistillRequest, EvalReport, ModelSummary, StudentPlan, TeacherImportResult, TeacherTrainRequest } from '../../shared/api/ml'
import type { ModelWeights, SpecModel } from '../../shared/model/spec'
import { AppError } from '../core/errors'
import type { JobService } from '../core/jobs'
import type { LoadedDataset, ModelRecord, Registry } from '../store/types'
import { checkFits, evaluateModel } from './evaluate'
import { distillJob, teacherTrainJob, type DistillSetup } from './jobs'
import { footprint, kb, type Footprint } from './student/footprint'
import { chooseStudent } from './student/factory'
import { MlPool } from './worker/pool'

/** Everything a distill job needs, resolved and checked before it starts. */
/** A registry name for an imported model: its folder's name (model.json files are usually alone in one). */
function defaultImportName(path: string): string {
  const abs = resolve(path)
  const base = basename(abs, '.json')
  return (base === 'model' ? basename(dirname(abs)) : base).slice(0, 100) || 'imported-teacher'
}

export const footprintInfo = (f: Footprint) => ({ ...f, weightsKb: kb(f.weightBytes), ramKb: kb(f.ramBytes) })

/**
 * The ml engine as the console's services see it: teachers (train, import), students (plan,
 * distil), evaluation. Training and bulk inference run on the worker pool (worker/pool.ts); this
 * class only checks requests, starts jobs and records results in the registry. `dispose()` ends the
 * workers.
 */
export class MlService {
  readonly pool: MlPool

  constructor(
    readonly registry: Registry,
    private readonly jobs: JobService,
    pool?: MlPool
  ) {
    this.pool = pool ?? new MlPool()
    jobs.register(teacherTrainJob(this))
    jobs.register(distillJob(this))
  }

  /** Starts a teacher.train job after checking the dataset exists. */
  async trainTeacher(p: TeacherTrainRequest): Promise<JobInfo> {
    await this.registry.datasets.get(p.dataset)
    return this.jobs.start('teacher.train', p)
  }

  async importTeacher(p: { path: string; name?: string; dataset?: string }): Promise<TeacherImportResult> {
    const model = await this.pool.exclusive(() => this.pool.call<'import'>(0, { op: 'import', path: p.path }))
    let ds: LoadedDataset | null = null
    if (p.dataset) {
      ds = await this.registry.datasets.load(p.dataset)
      checkFits(model, `the model in ${p.path}`, ds)
    }
    const rec = await this.registry.models.put('teacher', model, { name: p.name ?? defaultImportName(p.path), lineage: { imported: p.path, ...(ds ? { datasetId: ds.record.id } : {}) } })
    let evaluation: EvalReport | null = null
    if (ds) {
      const d = ds
      evaluation = await this.pool.exclusive(() => evaluateModel(this.pool, { model, modelId: rec.id, ds: d, split: 'test' }))
      await this.registry.models.annotate(rec.id, { metrics: { testAcc: evaluation.accuracy } })
    }
    return { model: this.summary(rec), evaluation }
  }

  /** The student the factory picks for a budget on a dataset's samples. */
  async plan(p: { dataset: string; budgetKb: number; ramKb?: number; family?: DistillRequest['family'] }): Promise<StudentPlan> {
    const ds = await this.registry.datasets.get(p.dataset)
    return this.planFor(ds.inputShape, ds.classes, p)
  }

  planFor(inputShape: number[], classes: number, p: { budgetKb: number; ramKb?: number; family?: DistillRequest['family'] }): StudentPlan {
    const budget = { weightsKb: p.budgetKb, ramKb: p.ramKb ?? null }
    const c = chooseStudent(inputShape, classes, budget, p.family ?? 'auto')
    return { family: c.family, name: c.name, spec: c.spec, footprint: footprintInfo(c.footprint), fitted: c.fitted, budget }
  }

  /** Starts a distill job after resolving and checking everything it needs (so bad requests fail here, not in the job). */
  async startDistill(p: DistillRequest): Promise<JobInfo> {
    await this.distillSetup(p)
    return this.jobs.start('distill', p)
  }

  /** Resolves a distill request: dataset, teacher, the student's plan, warm start and anchor weights. */
  async distillSetup(p: DistillRequest): Promise<DistillSetup> {
    const ds = await this.registry.datasets.load(p.dataset)
    const teacherRec = await this.registry.models.get(p.teacher)
    const teacher = await this.registry.models.load(p.teacher)
    checkFits(teacher, `teacher ${teacherRec.name}`, ds)
    if (p.sampleWeights && p.sampleWeights.length !== ds.train.n) {
      throw new AppError('INVALID_INPUT', `sampleWeights has ${p.sampleWeights.length} values; dataset ${ds.record.name} has ${ds.train.n} training samples`)
    }
    if (p.classWeights && p.classWeights.length !== ds.record.classes) {
      throw new AppError('INVALID_INPUT', `classWeights has ${p.classWeights.length} values; dataset ${ds.record.name} has ${ds.record.classes} classes`)
    }
    let plan: StudentPlan
    let init: ModelWeights | null = null
    let warmStartId: string | null = null
    if (p.warmStart) {
      const rec = await this.registry.models.get(p.warmStart)
      const warm = await this.registry.models.load(p.warmStart)
      checkFits(warm, `warm-start model ${rec.name}`, ds)
      const f = footprint(warm.spec)
      if (f.weightBytes > p.budgetKb * 1024 || (p.ramKb !== undefined && f.ramBytes > p.ramKb * 1024)) {
        throw new AppError('BUDGET_UNFITTABLE', `warm-start model ${rec.name} needs ${kb(f.weightBytes)} KB of weights and ${kb(f.ramBytes)} KB of RAM, over the budget of ${p.budgetKb} KB${p.ramKb === undefined ? '' : ` and ${p.ramKb} KB`}`)
      }
      plan = { family: 'dense', name: `warm start from ${rec.name}`, spec: warm.spec, footprint: footprintInfo(f), fitted: 1, budget: { weightsKb: p.budgetKb, ramKb: p.ramKb ?? null } }
      const fam = warm.spec.layers.some((l) => l.type === 'depthwiseConv2d') ? 'dsconv' : warm.spec.layers.some((l) => l.type === 'conv2d') ? 'conv' : 'dense'
      plan.family = fam
      init = warm.weights
      warmStartId = rec.id
    } else {
      plan = this.planFor(ds.record.inputShape, ds.record.classes, p)
    }
    let anchor: ModelWeights | null = null
    if (p.anchor) {
      const a = await this.registry.models.load(p.anchor.model)
      if (JSON.stringify(a.spec.layers) !== JSON.stringify(plan.spec.layers) || a.spec.inputShape.join() !== plan.spec.inputShape.join()) {
        throw new AppError('MODEL_INVALID', `the anchor model ${p.anchor.model} has another architecture than the student (${plan.name}); anchor to a model of the same architecture, e.g. the warm-start model`)
      }
      anchor = a.weights
    }
    return { ds, teacher, teacherRec, plan, init, warmStartId, anchor }
  }

  async evaluate(p: { model: string; dataset: string; split?: 'test' | 'train'; reference?: string }): Promise<EvalReport> {
    const rec = await this.registry.models.get(p.model)
    const model = await this.registry.models.load(p.model)
    const ds = await this.registry.datasets.load(p.dataset)
    checkFits(model, `model ${rec.name}`, ds)
    const refId = p.reference ?? rec.lineage.teacherId ?? null
    let reference: { model: SpecModel; id: string } | null = null
    if (refId) {
      const refModel = await this.registry.models.load(refId)
      checkFits(refModel, `reference model ${refId}`, ds)
      reference = { model: refModel, id: (await this.registry.models.get(refId)).id }
    }
    return this.pool.exclusive(() => evaluateModel(this.pool, { model, modelId: rec.id, ds, split: p.split ?? 'test', reference }))
  }

  summary(rec: ModelRecord): ModelSummary {
    return { id: rec.id, kind: rec.kind, name: rec.name, params: rec.params, inputShape: rec.spec.inputShape, classes: rec.spec.classes }
  }

  /** Ends the worker threads; running jobs are cancelled by the JobService's own disposal first. */
  async dispose(): Promise<void> {
    await this.pool.dispose()
  }
}
