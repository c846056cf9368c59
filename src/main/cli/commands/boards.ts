import type { Command } from 'commander'
import type { BoardSummary, FlashResult, InferReport } from '../../../shared/api/boards'
import type { JobInfo } from '../../../shared/api/jobs'
import { ApiCallError } from '../../app/router'
import type { CliContext } from '../context'
import { intOption } from '../options'
import { registerBoardRecords } from './fleet'

const short = (h: string | null) => (h ? h.slice(0, 12) : '-')

function boardLine(b: BoardSummary & { source?: string; error?: string }): string {
  if (!b.info) return `${b.path}  ${b.error ?? b.lastError ?? b.state}`
  const i = b.info
  const slot = (n: 'a' | 'b') => `${n}:${i.slots[n].state}${i.slots[n].hash ? `(${short(i.slots[n].hash)})` : ''}`
  const c = b.counters
  return [
    `${b.path}  ${i.boardId}  ${i.boardClass}  ${i.firmware}  protocol v${i.protocol.version}`,
    `  slots ${slot('a')} ${slot('b')}  active ${i.active ?? '-'}  running ${i.running ?? '-'}${i.trial ? ' (trial)' : ''}`,
    `  budgets flash ${i.flashBytes} B/slot, RAM ${i.ramBytes} B  adaptation ${i.adaptation}  line ${i.lineRate} baud  ${i.paired ? 'paired' : 'not paired'}`,
    `  link frames ${c.framesOut} out / ${c.framesIn} in, CRC errors ${c.crcErrors}, retransmits ${c.retransmits}, timeouts ${c.timeouts}`
  ].join('\n')
}

export function registerBoards(program: Command, ctx: CliContext): void {
  const boards = program
    .command('boards')
    .description('serial ports with DiReDi boards: identity, slot states, link counters')
    .option('--port <path...>', 'also probe these ports (e.g. a pseudo-terminal from `diredi emulate`)')
    .action(async (o: { port?: string[] }) => {
      const out = await ctx.withApp(async (app) => {
        const ports: Array<{ path: string; source: string }> = []
        try {
          ports.push(...(await app.router.invoke('boards.ports', {})))
        } catch (e) {
          ctx.note(`cannot list the system's ports: ${(e as Error).message}`)
        }
        for (const p of o.port ?? []) if (!ports.some((x) => x.path === p)) ports.push({ path: p, source: 'given' })
        return Promise.all(
          ports.map(async (p) => {
            try {
              return { ...(await app.router.invoke('boards.open', { path: p.path })), source: p.source }
            } catch (e) {
              const code = e instanceof ApiCallError ? e.code : 'INTERNAL'
              return { path: p.path, source: p.source, state: 'closed' as const, info: null, error: `${(e as Error).message} [${code}]`, errorCode: code }
            }
          })
        )
      })
      ctx.print({ boards: out }, () => (out.length ? out.map((b) => boardLine(b as BoardSummary & { error?: string })).join('\n') : 'no serial ports found; start virtual boards with `diredi emulate --boards 4`'))
    })
  registerBoardRecords(boards, ctx)

  program
    .command('flash')
    .description('flash an int8 artifact into a board\'s inactive slot: verify, trial boot, golden vectors, confirm')
    .requiredOption('--port <path>', 'the board\'s serial port')
    .option('--model <id>', 'an artifact id, or a model id (its newest artifact)')
    .option('--artifact <file>', 'an artifact file')
    .option('--golden <k>', 'golden vectors to check (default 8)', intOption('--golden', 1, 256))
    .action(async (o: { port: string; model?: string; artifact?: string; golden?: number }) => {
      const result = await ctx.withApp(async (app) => {
        const job = await app.router.invoke('boards.flash', { path: o.port, artifact: o.model, file: o.artifact, golden: o.golden })
        let last = -1
        const off = app.events.subscribe((name, payload) => {
          if (name === 'job.log' && (payload as { id: string }).id === job.id) ctx.note((payload as { line: { message: string } }).line.message)
          if (name === 'job.updated' && (payload as JobInfo).id === job.id) {
            const pct = Math.floor(((payload as JobInfo).progress ?? 0) * 100)
            if (pct >= last + 10) ctx.note(`  ${(last = pct - (pct % 10))}%`)
          }
        })
        try {
          const done = await app.services.jobs.wait(job.id)
          if (done.state !== 'succeeded') throw new ApiCallError(done.error?.code ?? 'JOB_FAILED', done.error?.message ?? `flash ${done.state}`)
          return done.result as FlashResult
        } finally {
          off()
        }
      })
      ctx.print(result, () =>
        result.alreadyRunning
          ? `${result.boardId} already runs ${short(result.hash)} (confirmed); nothing written`
          : `${result.boardId}: slot ${result.slot} confirmed with ${short(result.hash)} (${result.bytes} bytes, ${result.goldenChecked} golden vectors equal, ` +
            `${result.attempts} attempt(s), ${result.resumes} resume(s), ${(result.goodputBytesPerSec / 1024).toFixed(1)} KiB/s = ${(result.lineFraction * 100).toFixed(1)}% of the line)`
      )
    })

  program
    .command('infer')
    .description('run test-set samples on a board; compare with the labels and with the console\'s int8 reference')
    .requiredOption('--port <path>', 'the board\'s serial port')
    .requiredOption('--dataset <name>', 'a dataset in the registry (its test split)')
    .option('--count <k>', 'samples to run (default 100)', intOption('--count', 1, 100_000), 100)
    .action(async (o: { port: string; dataset: string; count: number }) => {
      const r: InferReport = await ctx.withApp((app) => app.router.invoke('boards.infer', { path: o.port, dataset: o.dataset, count: o.count }))
      ctx.print(r, () =>
        `${r.count} samples of ${r.dataset}: accuracy ${(r.accuracy * 100).toFixed(1)}%, ${r.exactMatches}/${r.count} outputs equal to the console's int8 reference, ` +
        `latency ${r.latencyMeanUs} us mean (${r.latencyMaxUs} max), ${r.throughput} samples/s over the link`
      )
    })
}
