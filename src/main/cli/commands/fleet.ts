import type { Command } from 'commander'
import type { RolloutView } from '../../../shared/api/fleet'
import type { BoardRecord, BoardTelemetry } from '../../../shared/api/fleet-types'
import type { App } from '../../app/app'
import { AppError } from '../../core/errors'
import { acquireConsole, runningConsole, type ConsoleInfo } from '../../hosts/console-lock'
import { RemoteConsole } from '../../hosts/remote-console'
import { startAndFollow, type ConsoleApi } from '../../fleet/rollout-follow'
import type { CliContext } from '../context'
import { intOption } from '../options'

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean)
const collect = (v: string, prev: string[] = []) => [...prev, v]

function recordLine(b: BoardRecord): string {
  return `${b.id}  "${b.name}"  group ${b.group ?? '-'}  labels [${b.labels.join(', ')}]  ${b.online ? `online on ${b.port}` : `offline (last seen ${b.lastSeen} on ${b.port ?? '-'})`}`
}

/** The in-process console as the rollout follower sees it. */
function localApi(app: App): ConsoleApi {
  return {
    invoke: (m, p) => app.router.invoke(m, p as Record<string, unknown>),
    onEvent: (fn) => app.events.subscribe(fn)
  }
}

/** The data directory is held by a process this command cannot submit to. */
function busy(h: ConsoleInfo, what = 'command'): AppError {
  return h.kind === 'electron'
    ? new AppError('BUSY', `the desktop console (pid ${h.pid}) holds this data directory and its boards; do this from its window, or close it first`)
    : new AppError('BUSY', `${h.command} (pid ${h.pid}) is using the boards of this data directory; wait for it to end, then run the ${what} again`)
}

/**
 * Runs `fn` against the console that serves this data directory when there is one (its records are the
 * live ones, and it would overwrite what another process wrote), else against this process's own app.
 */
async function withConsole<T>(ctx: CliContext, fn: (api: ConsoleApi) => Promise<T>): Promise<T> {
  const h = await runningConsole(ctx.dataDir())
  if (h?.kind === 'electron') throw busy(h)
  if (h?.kind !== 'serve') return ctx.withApp((app) => fn(localApi(app)))
  const rc = await RemoteConsole.connect(h)
  try {
    return await fn(rc)
  } finally {
    await rc.close()
  }
}

function telemetryLine(t: BoardTelemetry): string {
  const r = t.recent
  const lat = r.latencyUs ? `latency ${r.latencyUs.mean} µs mean, ${r.latencyUs.p95} p95` : 'no recent inferences'
  return `${t.boardId}  ${r.perSecond}/s over the last ${r.seconds} s (${r.count}), ${lat}; ${t.inferences} in all${t.latencyMeanUs === null ? '' : ` (mean ${t.latencyMeanUs} µs)`}`
}

interface RolloutFlags {
  model?: string
  artifact?: string
  group: string
  concurrency: number
  abortAfter?: number
  waveSize?: number
  portPath?: string[]
}

/**
 * Runs the rollout where the boards are: when `diredi serve` holds this data directory (its console file),
 * the rollout is submitted to it over its API and followed there (two processes never fight over the
 * ports or the queue); otherwise this process takes the data directory for the run and does it itself.
 */
async function rollout(ctx: CliContext, o: RolloutFlags): Promise<RolloutView> {
  const req = { artifactId: (o.model ?? o.artifact) as string, group: o.group, concurrency: o.concurrency, abortAfter: o.abortAfter ?? null, ...(o.waveSize && { waveSize: o.waveSize }) }
  const got = await acquireConsole(ctx.dataDir(), { kind: 'cli', command: 'diredi rollout' })
  if ('holder' in got) {
    const h = got.holder
    if (h.kind !== 'serve') throw busy(h, 'rollout')
    const rc = await RemoteConsole.connect(h)
    try {
      ctx.note(`submitting to the console that serves this data directory (${h.command}, pid ${h.pid}, ${h.url?.replace(/#.*/, '')})`)
      for (const p of o.portPath ?? []) await rc.invoke('fleet.addPort', { path: p })
      const lost = new Promise<never>((_, reject) =>
        rc.onClose((why) => reject(new AppError('IO_ERROR', `lost the console (pid ${h.pid}) before the rollout ended (${why}); it goes on there, and resumes when that console restarts`)))
      )
      lost.catch(() => undefined)
      return await startAndFollow(rc, req, (l) => ctx.note(l), lost)
    } finally {
      await rc.close()
    }
  }
  try {
    return await ctx.withApp(async (app) => {
      // only discovery: rollouts another console left interrupted stay for that console (or `diredi serve`) to resume
      for (const p of o.portPath ?? []) await app.router.invoke('fleet.addPort', { path: p })
      await app.services.fleet.discovery.start()
      return startAndFollow(localApi(app), req, (l) => ctx.note(l))
    })
  } finally {
    await got.lock.release()
  }
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
    .action(async (o: RolloutFlags) => {
      if ((o.model === undefined) === (o.artifact === undefined)) {
        throw new AppError('INVALID_INPUT', 'give exactly one of --model ID or --artifact ID')
      }
      const view = await rollout(ctx, o)
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
      const out = await withConsole(ctx, (api) => api.invoke('fleet.boards', o.group ? { group: o.group } : {}))
      ctx.print({ boards: out }, () => (out.length ? out.map(recordLine).join('\n') : 'no boards seen yet'))
    })
  boards
    .command('label <id>')
    .description('name and label a board (by its id)')
    .option('--name <n>', 'a name people use')
    .option('--labels <a,b>', 'labels, comma-separated (replaces the labels)', list)
    .action(async (id: string, o: { name?: string; labels?: string[] }) => {
      const b = await withConsole(ctx, (api) => api.invoke('fleet.label', { id, ...(o.name !== undefined && { name: o.name }), ...(o.labels && { labels: o.labels }) }))
      ctx.print(b, () => recordLine(b))
    })
  boards
    .command('group <id> <group>')
    .description('put a board into a group ("-" takes it out)')
    .action(async (id: string, group: string) => {
      const b = await withConsole(ctx, (api) => api.invoke('fleet.label', { id, group: group === '-' ? null : group }))
      ctx.print(b, () => recordLine(b))
    })
  boards
    .command('telemetry [id]')
    .description("inference rate and latency per board (live from a running `diredi serve`, else as last kept)")
    .action(async (id?: string) => {
      const out = await withConsole(ctx, async (api) => (id ? [await api.invoke('fleet.telemetry', { id })] : api.invoke('fleet.telemetryAll', {})))
      ctx.print({ telemetry: out }, () => (out.length ? out.map(telemetryLine).join('\n') : 'no board has run inferences yet'))
    })
}
