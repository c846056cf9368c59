import type { Command } from 'commander'
import type { JobInfo } from '../../../shared/api/jobs'
import type { DistillResult, EvalReport, TeacherTrainResult } from '../../../shared/api/ml'
import type { App } from '../../app/app'
import { AppError } from '../../core/errors'
import type { CliContext } from '../context'
import { followJob } from '../follow'
import { intOption, numOption } from '../options'
import { distillSummary, evalSummary, teacherSummary } from './ml-format'

interface TrainingFlags {
  epochs?: number
  batchSize?: number
  lr?: number
  seed?: number
  patience?: number
  name?: string
  resume?: string
}

function trainingOptions(cmd: Command): Command {
  return cmd
    .option('--epochs <n>', 'epochs at most (early stopping may end sooner)', intOption('--epochs', 1, 1000))
    .option('--batch-size <n>', 'samples per step', intOption('--batch-size', 1, 4096))
    .option('--lr <rate>', 'Adam learning rate', numOption('--lr', 1e-8, 1))
    .option('--seed <n>', 'seed of initial weights, validation split and shuffling', intOption('--seed', 0, 2 ** 31 - 1))
    .option('--patience <n>', 'stop after n epochs without a better validation loss (0: never)', intOption('--patience', 0, 1000))
    .option('--name <name>', 'registry name of the new model')
    .option('--resume <job>', 'continue an interrupted or cancelled job from its checkpoint instead of starting one')
}

/** A flag a command needs unless it resumes a job. */
function need<T>(v: T | undefined, flag: string, o: TrainingFlags): T {
  if (v === undefined && !o.resume) throw new AppError('INVALID_INPUT', `give ${flag} (or --resume <job> to continue a job)`)
  return v as T
}

const training = (o: TrainingFlags) => ({ epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, seed: o.seed, patience: o.patience, name: o.name })

/** Starts (or resumes) a job and follows it to the end; prints its result. */
async function runJob<R>(ctx: CliContext, start: (app: App) => Promise<JobInfo>, human: (r: R, job: JobInfo) => string): Promise<void> {
  await ctx.withApp(async (app) => {
    const job = await followJob(app, ctx, await start(app))
    const result = job.result as R
    ctx.print({ jobId: job.id, ...(result as object) }, () => human(result, job))
  })
}

export function registerMl(program: Command, ctx: CliContext): void {
  const teacher = program.command('teacher').description('train or import teacher models')
  trainingOptions(teacher.command('train').description('train a teacher (a CNN for images, an MLP otherwise) on a dataset'))
    .option('--dataset <ref>', 'dataset id or name')
    .option('--no-augment', 'do not shift the training images (shifting is on for image datasets)')
    .action(async (o: TrainingFlags & { dataset?: string; augment?: boolean }) => {
      await runJob<TeacherTrainResult>(
        ctx,
        (app) =>
          o.resume
            ? app.router.invoke('jobs.resume', { id: o.resume })
            : app.router.invoke('teacher.train', { dataset: need(o.dataset, '--dataset <ref>', o), ...training(o), augment: o.augment === false ? false : undefined }),
        teacherSummary
      )
    })
  teacher
    .command('import')
    .description('import a tfjs layers model (model.json next to its weight files) as a teacher')
    .argument('<model.json>', 'path of model.json')
    .option('--name <name>', 'registry name')
    .option('--dataset <ref>', 'check it fits this dataset and evaluate it on the test split')
    .action(async (path: string, o: { name?: string; dataset?: string }) => {
      const r = await ctx.withApp((app) => app.router.invoke('teacher.import', { path, name: o.name, dataset: o.dataset }))
      ctx.print(r, () => [`imported ${r.model.id} "${r.model.name}": ${r.model.params} parameters, [${r.model.inputShape}] -> ${r.model.classes} classes`, ...(r.evaluation ? [evalSummary(r.evaluation)] : [])].join('\n'))
    })

  trainingOptions(program.command('distill').description('distil a teacher into an int8-sized student that fits a board budget'))
    .option('--teacher <ref>', 'teacher id or name')
    .option('--dataset <ref>', 'dataset id or name')
    .option('--budget-kb <kb>', 'KB of int8 weights the board holds (kernels 1 byte, biases 4 bytes per value)', numOption('--budget-kb', 0.001, 1e6))
    .option('--ram-kb <kb>', 'KB of activation RAM (peak int8 input + output of a layer); default: no limit', numOption('--ram-kb', 0.001, 1e6))
    .option('--family <f>', 'student family: auto, dense, conv or dsconv (default auto)')
    .option('--alpha <a>', 'weight of the hard-label loss (default 0.3)', numOption('--alpha', 0, 1))
    .option('--tau <t>', 'softmax temperature of the soft labels (default 4)', numOption('--tau', 1e-3, 100))
    .action(async (o: TrainingFlags & { teacher?: string; dataset?: string; budgetKb?: number; ramKb?: number; family?: string; alpha?: number; tau?: number }) => {
      if (!o.resume) {
        need(o.teacher, '--teacher <ref>', o)
        need(o.dataset, '--dataset <ref>', o)
        need(o.budgetKb, '--budget-kb <kb>', o)
      }
      await runJob<DistillResult>(
        ctx,
        (app) =>
          o.resume
            ? app.router.invoke('jobs.resume', { id: o.resume })
            : app.router.invoke('distill.start', { teacher: o.teacher ?? '', dataset: o.dataset ?? '', budgetKb: o.budgetKb ?? 0, ramKb: o.ramKb, family: o.family, alpha: o.alpha, tau: o.tau, ...training(o) }),
        distillSummary
      )
    })

  program
    .command('eval')
    .description('accuracy, per-class accuracy, confusion matrix and teacher agreement of a model on a dataset')
    .option('--model <ref>', 'model id or name')
    .option('--dataset <ref>', 'dataset id or name')
    .option('--split <s>', 'test (default) or train')
    .option('--reference <ref>', 'model to measure agreement with (default: the model’s teacher)')
    .action(async (o: { model?: string; dataset?: string; split?: string; reference?: string }) => {
      if (!o.model || !o.dataset) throw new AppError('INVALID_INPUT', 'give --model <ref> and --dataset <ref>')
      const r: EvalReport = await ctx.withApp((app) => app.router.invoke('models.evaluate', { model: o.model, dataset: o.dataset, split: o.split, reference: o.reference }))
      ctx.print(r, () => evalSummary(r))
    })
}
