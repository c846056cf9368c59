import { z } from 'zod'
import { method } from './define'
import type { ApiError } from './errors'

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted'

/** A long-running piece of work (distillation, flash, rollout, round) as the UI and CLI see it. */
export interface JobInfo {
  id: string
  /** What kind of work, e.g. "teacher.train", "distill", "flash", "rollout", "round". */
  kind: string
  title: string
  state: JobState
  /** 0..1, or null while the job cannot tell. */
  progress: number | null
  /** Seconds left by the job's own estimate, or null. */
  etaSeconds: number | null
  /** Latest metrics, e.g. { epoch: 3, loss: 0.21, valAcc: 0.95 }. */
  metrics: Record<string, number>
  /** A job's params as it was started with (for resume and for the record). */
  params: unknown
  result: unknown
  error: ApiError | null
  createdAt: string
  startedAt: string | null
  endedAt: string | null
}

export interface JobLogLine {
  at: string
  level: 'info' | 'warn' | 'error'
  message: string
}

/** One point of a job's metrics over time. */
export interface JobSample {
  at: string
  progress: number | null
  metrics: Record<string, number>
}

const JobId = z.string().min(1).max(128)

export const jobMethods = {
  'jobs.list': method<JobInfo[]>()(
    z.object({ kind: z.string().optional(), limit: z.number().int().positive().max(10_000).optional() }).strict(),
    'Jobs, newest first'
  ),
  'jobs.get': method<JobInfo>()(z.object({ id: JobId }).strict(), 'One job'),
  'jobs.log': method<JobLogLine[]>()(z.object({ id: JobId }).strict(), "A job's log lines"),
  'jobs.series': method<JobSample[]>()(z.object({ id: JobId }).strict(), "A job's metrics over time, for curves"),
  'jobs.resume': method<JobInfo>()(z.object({ id: JobId }).strict(), 'Continue an interrupted or cancelled job from its checkpoint'),
  'jobs.cancel': method<JobInfo>()(z.object({ id: JobId }).strict(), 'Ask a running job to stop; it keeps its checkpoint')
}

export interface JobEvents {
  'job.updated': JobInfo
  'job.log': { id: string; line: JobLogLine }
}
