import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { JobInfo, JobLogLine, JobSample } from '../../shared/api/jobs'
import { AppError, toApiError } from './errors'
import type { EventBus } from './events'
import { readJsonLines, readJsonRecords, writeJsonAtomic } from './atomic'

/** What a running job is given: its identity, a cancel signal, and ways to report. */
export interface JobContext {
  readonly id: string
  readonly signal: AbortSignal
  /** A folder of the job's own for checkpoints; it survives restarts until the job ends. */
  readonly workDir: string
  /** True when this run continues an interrupted or cancelled one (checkpoints may exist). */
  readonly resumed: boolean
  progress(fraction: number | null, metrics?: Record<string, number>, etaSeconds?: number | null): void
  log(message: string, level?: JobLogLine['level']): void
}

/** A kind of job: how to run it and, for resumable kinds, how to continue after a restart. */
export interface JobKind<P = unknown, R = unknown> {
  kind: string
  title(params: P): string
  run(ctx: JobContext, params: P): Promise<R>
  /** Whether an interrupted job of this kind can be started again from its checkpoint. */
  resumable?: boolean
}

interface Running {
  abort: AbortController
  done: Promise<JobInfo>
}

const PROGRESS_EVENT_MS = 100
/** At most one metrics sample per this many ms, unless the metric names change (a new epoch's figures). */
const SERIES_SAMPLE_MS = 250

/**
 * Runs long work off the request path, persists every job's record under <dataDir>/jobs, and reports
 * progress as `job.updated` events (throttled). A job still marked running when the console starts was
 * interrupted (the process was killed); resumable kinds can be resumed from their checkpoint.
 */
export class JobService {
  private readonly kinds = new Map<string, JobKind>()
  private readonly jobs = new Map<string, JobInfo>()
  private readonly running = new Map<string, Running>()
  private readonly dir: string
  private loaded = false

  constructor(
    dataDir: string,
    private readonly events: EventBus
  ) {
    this.dir = join(dataDir, 'jobs')
  }

  register<P, R>(kind: JobKind<P, R>): void {
    if (this.kinds.has(kind.kind)) throw new Error(`job kind ${kind.kind} registered twice`)
    this.kinds.set(kind.kind, kind as JobKind)
  }

  /** Loads job records from disk; marks jobs a killed console left running as interrupted. */
  async load(): Promise<void> {
    if (this.loaded) return
    this.loaded = true
    for (const job of await readJsonRecords<JobInfo>(this.dir)) {
      if (job.state === 'running' || job.state === 'queued') {
        job.state = 'interrupted'
        job.endedAt = new Date().toISOString()
        await this.persist(job)
      }
      this.jobs.set(job.id, job)
    }
  }

  list(kind?: string, limit = 200): JobInfo[] {
    return [...this.jobs.values()]
      .filter((j) => !kind || j.kind === kind)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
  }

  get(id: string): JobInfo {
    const j = this.jobs.get(id)
    if (!j) throw new AppError('NOT_FOUND', `no job ${id}; list jobs with jobs.list`)
    return j
  }

  async log(id: string): Promise<JobLogLine[]> {
    this.get(id)
    return readJsonLines<JobLogLine>(join(this.dir, `${id}.log`))
  }

  /** The job's metrics over time (for loss and accuracy curves), oldest first. */
  async series(id: string): Promise<JobSample[]> {
    this.get(id)
    return readJsonLines<JobSample>(join(this.dir, `${id}.series`))
  }

  /** Starts a job and returns its record at once; `wait(id)` resolves when it ends. */
  async start<P>(kind: string, params: P): Promise<JobInfo> {
    await this.load()
    const k = this.kinds.get(kind)
    if (!k) throw new AppError('INVALID_INPUT', `unknown job kind ${kind}`)
    const now = new Date().toISOString()
    const job: JobInfo = {
      id: `${kind.replace(/[^a-z0-9]+/gi, '-')}-${now.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`,
      kind,
      title: k.title(params),
      state: 'queued',
      progress: null,
      etaSeconds: null,
      metrics: {},
      params,
      result: null,
      error: null,
      createdAt: now,
      startedAt: null,
      endedAt: null
    }
    this.jobs.set(job.id, job)
    await this.persist(job)
    this.launch(job, k, false)
    return { ...job }
  }

  /** Starts an interrupted or cancelled job of a resumable kind again, from its checkpoint. */
  async resume(id: string): Promise<JobInfo> {
    await this.load()
    const job = this.get(id)
    const k = this.kinds.get(job.kind)
    if (!k?.resumable) throw new AppError('INVALID_INPUT', `jobs of kind ${job.kind} cannot be resumed; start a new one`)
    if (job.state !== 'interrupted' && job.state !== 'cancelled' && job.state !== 'failed') {
      throw new AppError('INVALID_INPUT', `job ${id} is ${job.state}; only interrupted, cancelled or failed jobs resume`)
    }
    Object.assign(job, { state: 'queued', error: null, endedAt: null })
    await this.persist(job)
    this.launch(job, k, true)
    return { ...job }
  }

  cancel(id: string): JobInfo {
    const job = this.get(id)
    this.running.get(id)?.abort.abort(new AppError('CANCELLED', 'cancelled by the user'))
    return { ...job }
  }

  /** Resolves with the job's final record. */
  async wait(id: string): Promise<JobInfo> {
    const r = this.running.get(id)
    return r ? r.done : this.get(id)
  }

  private launch(job: JobInfo, k: JobKind, resumed: boolean): void {
    const abort = new AbortController()
    const workDir = join(this.dir, job.id)
    let lastEmit = 0
    let lastSample = 0
    let lastKeys = ''
    const sample = () => {
      const t = Date.now()
      const keys = Object.keys(job.metrics).sort().join(',')
      if (t - lastSample < SERIES_SAMPLE_MS && keys === lastKeys) return
      lastSample = t
      lastKeys = keys
      const line: JobSample = { at: new Date(t).toISOString(), progress: job.progress, metrics: { ...job.metrics } }
      void fs.appendFile(join(this.dir, `${job.id}.series`), JSON.stringify(line) + '\n').catch(() => undefined)
    }
    const emit = (force = false) => {
      const t = Date.now()
      if (!force && t - lastEmit < PROGRESS_EVENT_MS) return
      lastEmit = t
      this.events.emit('job.updated', { ...job })
    }
    const ctx: JobContext = {
      id: job.id,
      signal: abort.signal,
      workDir,
      resumed,
      progress: (fraction, metrics, eta) => {
        job.progress = fraction === null ? null : Math.max(0, Math.min(1, fraction))
        if (eta !== undefined) job.etaSeconds = eta
        if (metrics) {
          job.metrics = { ...job.metrics, ...metrics }
          sample()
        }
        emit()
      },
      log: (message, level = 'info') => {
        const line: JobLogLine = { at: new Date().toISOString(), level, message }
        void fs.appendFile(join(this.dir, `${job.id}.log`), JSON.stringify(line) + '\n').catch(() => undefined)
        this.events.emit('job.log', { id: job.id, line })
      }
    }
    const done = (async () => {
      await fs.mkdir(workDir, { recursive: true })
      job.state = 'running'
      job.startedAt = new Date().toISOString()
      await this.persist(job)
      emit(true)
      try {
        job.result = (await k.run(ctx, job.params)) ?? null
        job.state = 'succeeded'
        job.progress = 1
        job.etaSeconds = 0
        await fs.rm(workDir, { recursive: true, force: true })
      } catch (e) {
        const error = toApiError(abort.signal.aborted ? abort.signal.reason ?? e : e)
        job.state = error.code === 'CANCELLED' ? 'cancelled' : 'failed'
        job.error = error
        ctx.log(error.message, 'error')
        if (error.code === 'INTERNAL') console.error(`[bug] job ${job.id}:`, e)
      }
      job.endedAt = new Date().toISOString()
      await this.persist(job).catch((e) => console.error(`cannot save job ${job.id}:`, e))
      this.running.delete(job.id)
      emit(true)
      return { ...job }
    })()
    this.running.set(job.id, { abort, done })
  }

  private async persist(job: JobInfo): Promise<void> {
    await writeJsonAtomic(join(this.dir, `${job.id}.json`), job)
  }

  /** Cancels running jobs and waits for them to stop (their checkpoints stay for resume). */
  async dispose(): Promise<void> {
    const pending = [...this.running.entries()]
    for (const [, r] of pending) r.abort.abort(new AppError('CANCELLED', 'the console is shutting down'))
    await Promise.allSettled(pending.map(([, r]) => r.done))
  }
}
