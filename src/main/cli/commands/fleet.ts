import type { Command } from 'commander'
import type { RolloutView } from '../../../shared/api/fleet'
import type { BoardRecord } from '../../../shared/api/fleet-types'
import type { App } from '../../app/app'
import { AppError } from '../../app/errors'
import type { CliContext } from '../context'
import { intOption } from '../options'

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean)
const collect = (v: string, prev: string[] = []) => [...prev, v]

function recordLine(b: BoardRecord): string {
  return `${b.id}  "${b.name}"  group ${b.group ?? '-'}  labels [${b.labels.join(', ')}]  ${b.online ? `online on ${b.port}` : `offline (last seen ${b.lastSeen} on ${b.port ?? '-'})`}`
}

function progressLine(v: RolloutView): string {
  const s = v.summary
  const eta = s.etaSeconds === null ? '' : `, ETA ${Math.ceil(s.etaSeconds)} s`
  return `  ${s.succeeded + s.failed + s.skipped}/${s.total} done: ${s.succeeded} flashed, ${s.failed} failed, ${s.flashing} flashing${eta}`
}

/** Waits for a rollout to end, noting progress (each board's end, and the ETA) on stderr. */
async function follow(app: App, ctx: CliContext, jobId: string): Promise<RolloutView> {
  let last = ''
  const reported = new Set<string>()
  const off = app.events.subscribe((name, payload) => {
    if (name !== 'fleet.rollout') return
    const v = payload as RolloutView
    if (v.plan.id !== jobId) return
    const line = progressLine(v)
    if (line.replace(/, ETA.*/, '') !== last.replace(/, ETA.*/, '')) ctx.note(line)
    last = line
    for (const b of v.plan.boards) {
      if (b.state !== 'failed' || reported.has(b.boardId)) continue
      reported.add(b.boardId)
      ctx.note(`  ${b.boardId} failed: ${b.error ?? 'no reason given'}`)
    }
  })
  try {
    await app.services.jobs.wait(jobId)
  } finally {
    off()
  }
  return app.router.invoke('fleet.rolloutGet', { id: jobId })
}

export function registerFleet(program: Command, ctx: CliContext): void {
  program
    .command('rollout')
    .description('flash a model to every board of a group, in waves, stopping at a failure threshold (resumable)')
    .option('--model <id>', 'a model id (its newest int8 artifact)')
    .option('--artifact <id>', 'an artifact id')
    .requiredOption('--group <g>', 'the board group (see `diredi boards group`)')
    .option('--concurrency <c>', 'boards flashed at once (default 4)', intOption('--concurrency', 1, 256), 4)
    .option('--abort-after <n>', 'stop after this many failed boards (default: never)', intOption('--abort-after', 1, 1_000_000))
    .option('--wave-size <w>', 'boards per wave (default: all in one wave)', intOption('--wave-size', 1, 1_000_000))
    .option('--port-path <path>', 'also open this port (repeatable); announced `diredi emulate` ports are opened anyway', collect)
    .action(async (o: { model?: string; artifact?: string; group: string; concurrency: number; abortAfter?: number; waveSize?: number; portPath?: string[] }) => {
      if ((o.model === undefined) === (o.artifact === undefined)) {
        throw new AppError('INVALID_INPUT', 'give exactly one of --model ID or --artifact ID')
      }
      const view = await ctx.withApp(async (app) => {
        // only discovery: rollouts another console left interrupted stay for that console (or `diredi serve`) to resume
        for (const p of o.portPath ?? []) await app.router.invoke('fleet.addPort', { path: p })
        await app.services.fleet.discovery.start()
        const { jobId, boards } = await app.router.invoke('fleet.rollout', {
          artifactId: (o.model ?? o.artifact) as string, group: o.group, concurrency: o.concurrency, abortAfter: o.abortAfter ?? null, ...(o.waveSize && { waveSize: o.waveSize })
        })
        ctx.note(`rollout ${jobId}: ${boards} boards of group ${o.group}, ${o.concurrency} at a time${o.abortAfter ? `, stopping after ${o.abortAfter} failures` : ''}`)
        return follow(app, ctx, jobId)
      })
      if (view.plan.state !== 'succeeded') process.exitCode = 1
      ctx.print(view, () => `rollout ${view.plan.id} ${view.plan.state}: ${view.summary.succeeded} of ${view.summary.total} boards flashed${view.plan.reason ? `; ${view.plan.reason}` : ''}`)
    })
}

/** `diredi boards label|group|list`: sub-commands of `diredi boards`. */
export function registerBoardRecords(boards: Command, ctx: CliContext): void {
  boards
    .command('known')
    .description('every board the console has met, by stable id (name, labels, group, where last seen)')
    .option('--group <g>', 'only this group')
    .action(async (o: { group?: string }) => {
      const out = await ctx.withApp((app) => app.router.invoke('fleet.boards', o.group ? { group: o.group } : {}))
      ctx.print({ boards: out }, () => (out.length ? out.map(recordLine).join('\n') : 'no boards seen yet'))
    })
  boards
    .command('label <id>')
    .description('name and label a board (by its id)')
    .option('--name <n>', 'a name people use')
    .option('--labels <a,b>', 'labels, comma-separated (replaces the labels)', list)
    .action(async (id: string, o: { name?: string; labels?: string[] }) => {
      const b = await ctx.withApp((app) => app.router.invoke('fleet.label', { id, ...(o.name !== undefined && { name: o.name }), ...(o.labels && { labels: o.labels }) }))
      ctx.print(b, () => recordLine(b))
    })
  boards
    .command('group <id> <group>')
    .description('put a board into a group ("-" takes it out)')
    .action(async (id: string, group: string) => {
      const b = await ctx.withApp((app) => app.router.invoke('fleet.label', { id, group: group === '-' ? null : group }))
      ctx.print(b, () => recordLine(b))
    })
}
