import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { ExperimentReport, ExperimentSummary, RoundReport, RoundSummary } from '../../shared/api/diredi'
import { AppError } from '../core/errors'
import { readJsonRecords, writeJsonAtomic } from '../core/atomic'

const SAFE_ID = /^[A-Za-z0-9._-]{1,200}$/

/** A round as the rounds list shows it. */
export function roundSummary(r: RoundReport): RoundSummary {
  return {
    id: r.id, scenario: r.scenario, round: r.round, jobId: r.jobId, startedAt: r.startedAt, seconds: r.seconds, outcome: r.outcome, summary: r.summary,
    teacherBefore: r.teacherBefore, teacherAfter: r.teacherAfter, candidate: r.candidate,
    accepted: r.inbox.filter((i) => i.accepted).length, rejected: r.inbox.filter((i) => !i.accepted).length, qaPassed: r.qa ? r.qa.passed : null
  }
}

/**
 * Round and experiment reports on disk (<dataDir>/diredi/rounds, /experiments), one JSON file each,
 * written atomically: a killed console keeps every report it finished.
 */
export class DirediRecords {
  private readonly rounds: string
  private readonly experiments: string

  constructor(dataDir: string) {
    this.rounds = join(dataDir, 'diredi', 'rounds')
    this.experiments = join(dataDir, 'diredi', 'experiments')
  }

  async putRound(r: RoundReport): Promise<void> {
    await fs.mkdir(this.rounds, { recursive: true })
    await writeJsonAtomic(join(this.rounds, `${r.id}.json`), r)
  }

  async putExperiment(e: ExperimentReport): Promise<void> {
    await fs.mkdir(this.experiments, { recursive: true })
    await writeJsonAtomic(join(this.experiments, `${e.id}.json`), e)
  }

  async round(id: string): Promise<RoundReport> {
    return this.read<RoundReport>(this.rounds, id, 'round')
  }

  async experiment(id: string): Promise<ExperimentReport> {
    return this.read<ExperimentReport>(this.experiments, id, 'experiment')
  }

  async listRounds(limit = 1000): Promise<RoundSummary[]> {
    const all = await readJsonRecords<RoundReport>(this.rounds)
    return all
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.round - a.round)
      .slice(0, limit)
      .map(roundSummary)
  }

  async listExperiments(): Promise<ExperimentSummary[]> {
    const all = await readJsonRecords<ExperimentReport>(this.experiments)
    return all.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).map((e) => ({ id: e.id, scenario: e.scenario, rounds: e.rounds, startedAt: e.startedAt, endedAt: e.endedAt, yardstick: e.yardstick }))
  }

  private async read<T>(dir: string, id: string, what: string): Promise<T> {
    if (!SAFE_ID.test(id)) throw new AppError('INVALID_INPUT', `${JSON.stringify(id)} is not a ${what} id; list them with diredi.${what}s`)
    try {
      return JSON.parse(await fs.readFile(join(dir, `${id}.json`), 'utf8')) as T
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', `no ${what} ${id}; list them with diredi.${what}s`)
      throw e
    }
  }
}
