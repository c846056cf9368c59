import { sha256Hex } from '../core/hash'
import type { DistillRequest, DistillResult, ModelSummary, StudentPlan, TeacherTrainRequest, TeacherTrainResult } from '../../shared/api/ml'
import type { ModelWeights, SpecModel } from '../../shared/model/spec'
import type { LoadedDataset, ModelRecord, Registry } from '../store/types'
import type { MlPool } from './worker/pool'
import type { JobContext, JobKind } from '../core/jobs'
import { DISTILL_DEFAULTS, TEACHER_DEFAULTS, hyperFrom } from './defaults'
import { evaluateModel } from './evaluate'
import { fit } from './fit'
import { jobReporter } from './progress'
import { defaultTeacherSpec } from './teacher'

/** What a distillation starts from (MlService.distillSetup). */
export interface DistillSetup {
  ds: LoadedDataset
  teacher: SpecModel
  teacherRec: ModelRecord
  plan: StudentPlan
  init: ModelWeights | null
  warmStartId: string | null
  anchor: ModelWeights | null
}

/** What the ml jobs use of the ml service (MlService implements it; the jobs do not import the service). */
export interface MlJobHost {
  readonly pool: MlPool
  readonly registry: Registry
  summary(rec: ModelRecord): ModelSummary
  distillSetup(p: DistillRequest): Promise<DistillSetup>
}

/** Identifies a job's settings inside its checkpoint, so a checkpoint is only continued by its own job. */
const fingerprint = (params: unknown) => sha256Hex(JSON.stringify(params)).slice(0, 16)

/** What every training job gives `fit`: its checkpoint folder (resumed when the job is), cancel signal and log. */
const fromJob = (ctx: JobContext, params: unknown) => ({ workDir: ctx.workDir, resume: ctx.resumed, fingerprint: fingerprint(params), signal: ctx.signal, log: (l: string) => ctx.log(l) })

export function teacherTrainJob(ml: MlJobHost): JobKind<TeacherTrainRequest, TeacherTrainResult> {
  return {
    kind: 'teacher.train',
    resumable: true,
    title: (p) => `Train a teacher on ${p.dataset}`,
    async run(ctx, p) {
      const o = { ...TEACHER_DEFAULTS, ...stripUndefined(p) }
      const ds = await ml.registry.datasets.load(p.dataset)
      const spec = defaultTeacherSpec(ds.record.inputShape, ds.record.classes)
      const augment = p.augment ?? (spec.inputShape.length === 3 && spec.inputShape[0] >= 8 && spec.inputShape[1] >= 8)
      const report = jobReporter(ctx, o.epochs)
      ctx.log(`teacher: ${spec.layers.map((l) => l.type).join(' > ')} on ${ds.record.name} (${ds.train.n} training samples), ${ml.pool.size} workers`)
      return ml.pool.exclusive(async () => {
        const r = await fit(ml.pool, {
          spec,
          train: ds.train,
          dataName: ds.record.name,
          teacher: null,
          hyper: hyperFrom({ ...o, augment }),
          valFraction: o.valFraction,
          patience: o.patience,
          ...fromJob(ctx, p),
          ...report
        })
        const ev = await evaluateModel(ml.pool, { model: r.model, modelId: '', ds, split: 'test' })
        const last = r.history[r.history.length - 1]
        const best = r.bestEpoch === null ? null : r.history.find((h) => h.epoch === r.bestEpoch) ?? null
        const rec = await ml.registry.models.put('teacher', r.model, {
          name: p.name ?? `teacher-${ds.record.name}`,
          lineage: { datasetId: ds.record.id, jobId: ctx.id },
          metrics: { testAcc: ev.accuracy, ...(best ? { valAcc: best.valAcc } : {}), epochs: r.epochs },
          meta: { hyper: { ...o, augment }, history: r.history, trainedOn: ml.pool.backend }
        })
        ctx.log(`teacher ${rec.id}: test accuracy ${(ev.accuracy * 100).toFixed(2)}% after ${r.epochs} epochs`)
        return {
          model: ml.summary(rec),
          testAccuracy: ev.accuracy,
          valAccuracy: best?.valAcc ?? last?.valAcc ?? null,
          epochs: r.epochs,
          ended: r.ended === 'early-stopped' ? 'early-stopped' : 'finished',
          seconds: report.seconds(),
          backend: ml.pool.backend ?? 'unknown',
          workers: ml.pool.size
        }
      })
    }
  }
}

export function distillJob(ml: MlJobHost): JobKind<DistillRequest, DistillResult> {
  return {
    kind: 'distill',
    resumable: true,
    title: (p) => `Distil ${p.teacher} into a ${p.budgetKb} KB student on ${p.dataset}`,
    async run(ctx, p) {
      const o = { ...DISTILL_DEFAULTS, ...stripUndefined(p) }
      const setup = await ml.distillSetup(p)
      const { ds, teacher, teacherRec, plan } = setup
      const report = jobReporter(ctx, o.epochs)
      ctx.log(`student: ${plan.name} (${plan.footprint.weightsKb} KB weights, ${plan.footprint.ramKb} KB RAM, ${plan.footprint.macs} MACs) from ${plan.fitted} candidates that fit; alpha ${o.alpha}, tau ${o.tau}`)
      return ml.pool.exclusive(async () => {
        const r = await fit(ml.pool, {
          spec: plan.spec,
          train: ds.train,
          dataName: ds.record.name,
          teacher,
          hyper: hyperFrom({ ...o, mu: p.anchor?.mu ?? 0 }),
          valFraction: o.valFraction,
          patience: o.patience,
          init: setup.init,
          anchor: setup.anchor,
          sampleWeights: p.sampleWeights ? Float32Array.from(p.sampleWeights) : null,
          classWeights: p.classWeights ?? null,
          ...fromJob(ctx, p),
          ...report
        })
        const ev = await evaluateModel(ml.pool, { model: r.model, modelId: '', ds, split: 'test', reference: { model: teacher, id: teacherRec.id } })
        const best = r.bestEpoch === null ? null : r.history.find((h) => h.epoch === r.bestEpoch) ?? null
        const agreement = ev.agreement?.rate ?? 0
        const rec = await ml.registry.models.put('student', r.model, {
          name: p.name ?? `student-${plan.footprint.weightsKb}kb-${ds.record.name}`,
          lineage: { datasetId: ds.record.id, teacherId: teacherRec.id, jobId: ctx.id, ...(p.warmStart ? { parentId: setup.warmStartId ?? p.warmStart } : {}) },
          metrics: { testAcc: ev.accuracy, teacherAgreement: agreement, ...(best ? { valAcc: best.valAcc } : {}), epochs: r.epochs, weightBytes: plan.footprint.weightBytes, ramBytes: plan.footprint.ramBytes },
          meta: { budget: plan.budget, architecture: plan.name, family: plan.family, footprint: plan.footprint, hyper: { ...o, sampleWeights: undefined }, history: r.history }
        })
        ctx.log(`student ${rec.id}: test accuracy ${(ev.accuracy * 100).toFixed(2)}%, agrees with the teacher on ${(agreement * 100).toFixed(2)}%`)
        return {
          model: ml.summary(rec),
          teacherId: teacherRec.id,
          plan,
          testAccuracy: ev.accuracy,
          agreement,
          valAccuracy: best?.valAcc ?? null,
          epochs: r.epochs,
          ended: r.ended === 'early-stopped' ? 'early-stopped' : 'finished',
          seconds: report.seconds(),
          backend: ml.pool.backend ?? 'unknown',
          workers: ml.pool.size
        }
      })
    }
  }
}

/** Drops keys whose value is undefined, so defaults are not overwritten by absent options. */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
