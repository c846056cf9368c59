import type { ExperimentReport, ExperimentRequest, RoundReport, RoundRequest, ScenarioSummary, TeacherLine } from '../../shared/api/diredi'
import type { JobInfo } from '../../shared/api/jobs'
import type { BoardService } from '../boards/service'
import type { JobService } from '../core/jobs'
import type { MlService } from '../ml/service'
import type { FleetService } from '../fleet/service'
import type { BoardDirectory } from '../fleet/directory'
import type { VirtualLab } from './lab'
import { experimentJob, roundJob } from './round-job'
import { AppError } from '../core/errors'
import type { Registry } from '../store/types'
import { experimentChartSvg } from './chart'
import { ScenarioLibrary } from './library'
import { partition } from './partition'
import { qaReportHtml } from './qa-html'
import { DirediRecords } from './records'
import { TeacherLines } from './teachers'

export interface DirediDeps {
  dataDir: string
  registry: Registry
  ml: MlService
  jobs: JobService
  boards: BoardService
  fleet: FleetService
  /** The virtual boards rounds run on (their ports are routed to the app's board service). */
  lab: VirtualLab
  directory: BoardDirectory
}

/**
 * The DiReDi loop as a service (docs/method.md): scenarios, rounds and experiments as jobs, their reports,
 * and teacher versions. Rounds run on virtual boards over the real board link (round.ts); the
 * experiment harness runs every baseline on the same data and seed (experiment.ts).
 */
export class DirediService {
  readonly records: DirediRecords
  readonly teachers: TeacherLines
  readonly library: ScenarioLibrary

  constructor(readonly deps: DirediDeps) {
    this.records = new DirediRecords(deps.dataDir)
    this.teachers = new TeacherLines(deps.dataDir, deps.registry)
    this.library = new ScenarioLibrary(deps.dataDir)
    const jobDeps = { ...deps, teachers: this.teachers, records: this.records, library: this.library }
    deps.jobs.register(roundJob(jobDeps))
    deps.jobs.register(experimentJob(jobDeps))
  }

  async dispose(): Promise<void> {
    await this.deps.lab.dispose()
  }

  scenarios(): Promise<ScenarioSummary[]> {
    return this.library.list()
  }

  /** A scenario that its dataset cannot satisfy is refused here, before a job starts, naming the field. */
  private async check(ref: string): Promise<void> {
    const { scenario } = await this.library.load(ref)
    partition(scenario, await this.deps.registry.datasets.load(scenario.dataset))
  }

  async startRound(p: RoundRequest): Promise<JobInfo> {
    await this.check(p.scenario)
    if (p.teacher) await this.teachers.lineOf(p.teacher)
    return this.deps.jobs.start('diredi.round', p)
  }

  async startExperiment(p: ExperimentRequest): Promise<JobInfo> {
    await this.check(p.scenario)
    return this.deps.jobs.start('diredi.experiment', p)
  }

  round(id: string): Promise<RoundReport> {
    return this.records.round(id)
  }

  async qaHtml(roundId: string): Promise<{ html: string; fileName: string }> {
    const r = await this.records.round(roundId)
    if (!r.qa) throw new AppError('NOT_FOUND', `round ${roundId} has no QA report: it ended before its candidate reached the gate (${r.outcome})`)
    return { html: qaReportHtml(r.qa), fileName: `qa-${r.id}.html` }
  }

  experiment(id: string): Promise<ExperimentReport> {
    return this.records.experiment(id)
  }

  async chartSvg(id: string): Promise<{ svg: string }> {
    return { svg: experimentChartSvg(await this.records.experiment(id)) }
  }

  teacherLines(): Promise<TeacherLine[]> {
    return this.teachers.lines()
  }

  restoreTeacher(id: string): Promise<TeacherLine> {
    return this.teachers.setCurrent(id)
  }
}
