import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { RolloutPlan, RolloutSummary } from '../../shared/api/fleet-types'
import { AppError } from '../core/errors'
import type { EventBus } from '../core/events'
import { readJson, writeJsonAtomic } from '../core/atomic'
import type { BoardDirectory } from './directory'
import type { JobContext, JobService } from '../core/jobs'
import { newPlan, resumePlan, summarise, type Flasher } from './rollout-plan'
import { runRollout } from './rollout-runner'

export interface RolloutRequest {
  artifactId: string
  artifactHash: string
  /** Flash every board of this group... */
  group?: string
  /** ...or these boards. */
  boards?: string[]
  concurrency: number
  waveSize?: number
  abortAfter: number | null
}

const EVENT_MS = 200

/**
 * Rollouts: a persisted queue that flashes one artifact to a group of boards, in waves, with a
 * concurrency limit, stopping when failures reach a threshold. Each rollout is a resumable job; its plan
 * is saved after every board's transition under <dataDir>/fleet/rollouts, so a console killed
 * mid-rollout resumes it at start-up with only the boards left.
 */
export class RolloutService {
  private readonly dir: string

  constructor(
    dataDir: string,
    private readonly jobs: JobService,
    private readonly directory: BoardDirectory,
    private readonly events: EventBus,
    private readonly flasher: (artifactId: string) => Flasher
  ) {
    this.dir = join(dataDir, 'fleet', 'rollouts')
    jobs.register<RolloutRequest & { boardIds: string[] }, { plan: RolloutPlan; summary: RolloutSummary }>({
      kind: 'rollout',
      resumable: true,
      title: (p) => `roll out ${p.artifactId} to ${p.group ? `group ${p.group}` : `${p.boardIds.length} boards`}`,
      run: (ctx, p) => this.run(ctx, p)
    })
  }

  /** Resumes rollouts a killed console left interrupted. */
  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true })
    for (const j of this.jobs.list('rollout', 10_000)) if (j.state === 'interrupted') await this.jobs.resume(j.id)
  }

  async start(req: RolloutRequest): Promise<{ jobId: string; boards: number }> {
    const boardIds = req.boards ?? (req.group !== undefined ? this.directory.list({ group: req.group }).map((b) => b.id) : [])
    if (!boardIds.length) throw new AppError('INVALID_INPUT', req.group !== undefined ? `group ${req.group} has no boards; add boards to it with \`diredi boards group\`` : 'name a group or at least one board')
    for (const id of boardIds) this.directory.get(id)
    const job = await this.jobs.start('rollout', { ...req, boardIds })
    return { jobId: job.id, boards: boardIds.length }
  }

  async get(id: string): Promise<{ plan: RolloutPlan; summary: RolloutSummary }> {
    let plan: RolloutPlan
    try {
      plan = await readJson<RolloutPlan>(join(this.dir, `${id}.json`))
    } catch {
      throw new AppError('NOT_FOUND', `no rollout ${id}; list rollouts with fleet.rollouts`)
    }
    return { plan, summary: summarise(plan) }
  }

  async list(): Promise<Array<{ plan: RolloutPlan; summary: RolloutSummary }>> {
    const out = []
    for (const f of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (!f.endsWith('.json') || f.startsWith('.')) continue
      try {
        const plan = await readJson<RolloutPlan>(join(this.dir, f))
        out.push({ plan, summary: summarise(plan) })
      } catch {
        // a plan being replaced right now; the next call sees it
      }
    }
    return out.sort((a, b) => b.plan.createdAt.localeCompare(a.plan.createdAt))
  }

  private async run(ctx: JobContext, p: RolloutRequest & { boardIds: string[] }): Promise<{ plan: RolloutPlan; summary: RolloutSummary }> {
    const file = join(this.dir, `${ctx.id}.json`)
    let plan: RolloutPlan
    if (ctx.resumed) {
      plan = resumePlan(await readJson<RolloutPlan>(file))
      ctx.log(`resuming: ${plan.boards.filter((b) => b.state === 'pending').length} boards left`)
    } else {
      plan = newPlan({ id: ctx.id, artifactId: p.artifactId, artifactHash: p.artifactHash, group: p.group ?? null, boards: p.boardIds, concurrency: p.concurrency, waveSize: p.waveSize, abortAfter: p.abortAfter, jobId: ctx.id })
    }
    let last = 0
    const report = (force: boolean) => {
      const t = Date.now()
      if (!force && t - last < EVENT_MS) return
      last = t
      const s = summarise(plan)
      const done = s.succeeded + s.failed + s.skipped
      const inFlight = plan.boards.filter((b) => b.state === 'flashing').reduce((a, b) => a + b.progress, 0)
      ctx.progress((done + inFlight) / s.total, { succeeded: s.succeeded, failed: s.failed, pending: s.pending }, s.etaSeconds)
      this.events.emit('fleet.rollout', { plan: structuredClone(plan), summary: s })
    }
    const flash = this.flasher(p.artifactId)
    const final = await runRollout(
      plan,
      async (boardId, fctx) => {
        const outcome = await flash(boardId, fctx)
        await this.directory.note(boardId, { kind: 'rollout', message: outcome.ok ? `rollout ${ctx.id}: flashed ${p.artifactId}` : `rollout ${ctx.id}: ${outcome.reason}`, jobId: ctx.id, ok: outcome.ok })
        if (!outcome.ok) ctx.log(`${boardId}: ${outcome.reason}`, 'warn')
        return outcome
      },
      {
        changed: async (pl) => {
          await writeJsonAtomic(file, pl)
          report(false)
        },
        progress: () => report(false)
      },
      ctx.signal
    )
    report(true)
    if (final.state === 'aborted') {
      // a skipped board's history says why it was not flashed (the rollout stopped), not just nothing
      for (const b of final.boards) {
        if (b.state === 'skipped') await this.directory.note(b.boardId, { kind: 'rollout', message: `rollout ${ctx.id}: skipped, not flashed: ${final.reason}`, jobId: ctx.id, ok: false })
      }
    }
    if (final.state === 'cancelled') throw new AppError('CANCELLED', final.reason ?? 'cancelled')
    if (final.reason) ctx.log(final.reason, final.state === 'succeeded' ? 'info' : 'warn')
    return { plan: final, summary: summarise(final) }
  }
}
