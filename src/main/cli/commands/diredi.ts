import type { Command } from 'commander'
import type { ExperimentReport, RoundReport, RoundSummary } from '../../../shared/api/diredi'
import type { CliContext } from '../context'
import { followJob } from '../follow'
import { intOption, numOption } from '../options'
import { experimentTable, roundText } from './diredi-format'

interface TuningFlags {
  boardEpochs?: number
  boardLr?: number
  mu?: number
  lambda?: number
  beta?: number
  gamma?: number
}

function tuning(cmd: Command): Command {
  return cmd
    .option('--board-epochs <n>', "boards' adaptation epochs (docs/method.md §3)", intOption('--board-epochs', 1, 500))
    .option('--board-lr <rate>', "boards' learning rate", numOption('--board-lr', 1e-8, 1))
    .option('--mu <w>', 'proximal anchor weight on the boards', numOption('--mu', 0, 1e6))
    .option('--lambda <w>', "weight of the manufacturer's labels in the teacher update (step 5)", numOption('--lambda', 0, 1e6))
    .option('--beta <w>', 'emphasis of samples where users differ (step 6)', numOption('--beta', 0, 100))
    .option('--gamma <g>', "move of class weights toward the users' class mix, 0..1 (step 6)", numOption('--gamma', 0, 1))
}

const tuned = (o: TuningFlags) => ({ boardEpochs: o.boardEpochs, boardLr: o.boardLr, mu: o.mu, lambda: o.lambda, beta: o.beta, gamma: o.gamma })

export function registerDiredi(program: Command, ctx: CliContext): void {
  tuning(
    program
      .command('round')
      .description('run DiReDi rounds on virtual boards from a scenario, over the real board link (docs/method.md §2-§7)')
      .requiredOption('--scenario <file>', 'scenario file, or the name of one in the library (diredi scenarios)')
      .option('--teacher <id>', 'start from this teacher (default: the current version of the scenario’s teacher line)')
      .option('--rounds <n>', 'rounds to run, each from where the last left the fleet', intOption('--rounds', 1, 50), 1)
      .option('--on-ports', 'run on the scenario’s boards on serial ports (diredi emulate --scenario, USB boards) instead of in-process ones')
  ).action(async (o: TuningFlags & { scenario: string; teacher?: string; rounds: number; onPorts?: boolean }) => {
    await ctx.withApp(async (app) => {
      const job = await followJob(app, ctx, await app.router.invoke('diredi.round', { scenario: o.scenario, teacher: o.teacher, rounds: o.rounds, onPorts: o.onPorts, ...tuned(o) }), { logs: true })
      const rounds = (job.result as { rounds: RoundSummary[] }).rounds
      const reports: RoundReport[] = []
      for (const r of rounds) reports.push(await app.router.invoke('diredi.roundReport', { id: r.id }))
      ctx.print({ jobId: job.id, rounds: reports }, () => reports.map(roundText).join('\n\n'))
    })
  })

  tuning(
    program
      .command('experiment')
      .description('run every method of the baseline table (none, local, delta-avg, oracle, diredi, diredi-tutor) on one scenario, same data and seed')
      .requiredOption('--scenario <file>', 'scenario file, or the name of one in the library')
      .option('--rounds <n>', 'rounds of the iterative methods (delta-avg, diredi, diredi-tutor)', intOption('--rounds', 1, 20), 1)
      .option('--methods <list>', 'comma-separated subset of the methods')
      .option('--out <dir>', 'also write the table (experiment.json) and a chart (experiment.svg) there')
  ).action(async (o: TuningFlags & { scenario: string; rounds: number; methods?: string; out?: string }) => {
    await ctx.withApp(async (app) => {
      const methods = o.methods ? (o.methods.split(',').map((m) => m.trim()) as never) : undefined
      const job = await followJob(app, ctx, await app.router.invoke('diredi.experiment', { scenario: o.scenario, rounds: o.rounds, methods, out: o.out, ...tuned(o) }), { logs: true })
      const e = await app.router.invoke('diredi.experimentReport', { id: (job.result as { id: string }).id })
      ctx.print({ jobId: job.id, ...e } satisfies ExperimentReport & { jobId: string }, () => experimentTable(e))
    })
  })

  program
    .command('scenarios')
    .description('list the scenarios in the library (shipped and in the data directory)')
    .action(async () => {
      const list = await ctx.withApp((app) => app.router.invoke('diredi.scenarios', {}))
      ctx.print({ scenarios: list }, () => list.map((s) => `${s.name.padEnd(24)} ${s.dataset.padEnd(10)} ${String(s.boards).padStart(3)} boards  ${s.shifts.join(', ')}  ${s.file}`).join('\n'))
    })

  program
    .command('teachers')
    .description('teacher lines: every version with its lineage; --restore makes an earlier one current')
    .option('--restore <id>', 'make this version the current one of its line')
    .action(async (o: { restore?: string }) => {
      const lines = await ctx.withApp(async (app) => (o.restore ? [await app.router.invoke('diredi.restoreTeacher', { id: o.restore })] : app.router.invoke('diredi.teachers', {})))
      ctx.print({ lines }, () =>
        lines
          .map((l) => [`line ${l.line}`, ...l.versions.map((v) => `  ${v.current ? '*' : ' '} ${v.id}  ${v.name}  ${v.testAcc === null ? '' : `${(v.testAcc * 100).toFixed(2)}%`}  ${v.parentId ? `from ${v.parentId.slice(0, 14)}` : 'root'}${v.knowledge.length ? `  knowledge: ${v.knowledge.join(', ')}` : ''}`)].join('\n'))
          .join('\n')
      )
    })
}
