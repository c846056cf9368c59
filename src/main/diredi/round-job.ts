import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { ExperimentReport, ExperimentRequest, RoundRequest, RoundSummary } from '../../shared/api/diredi'
import { runExperiment } from './experiment'
import type { JobKind } from '../core/jobs'
import { writeJsonAtomic } from '../core/atomic'
import type { RoundStart } from './round'
import { roundSummary } from './records'
import { overridesOf, withEta, type RoundJobDeps } from './job-deps'
import { runRound } from './round'
import { artifactFor, prepareBase, type Base } from './setup'

/** What a scenario's fleet runs now, kept between rounds (<dataDir>/diredi/labs/<key>.json). */
interface LabState {
  student: string
  artifact: string
}

async function startOf(deps: RoundJobDeps, base: Base, teacherRef: string | undefined): Promise<RoundStart> {
  const file = join(deps.dataDir, 'diredi', 'labs', `${base.key}.json`)
  const teacherId = teacherRef ? base.teacher0.id : await deps.teachers.current(base.teacher0.id)
  const teacher = { id: teacherId, model: await deps.registry.models.load(teacherId) }
  const st = await fs.readFile(file, 'utf8').then((t) => JSON.parse(t) as LabState, () => null)
  if (st) {
    const student = await deps.registry.models.get(st.student).catch(() => null)
    const art = await deps.registry.artifacts.get(st.artifact).catch(() => null)
    if (student && art) {
      const s = { id: student.id, model: await deps.registry.models.load(student.id) }
      return { teacher, student: s, artifact: await artifactFor(deps, s, base.part) }
    }
  }
  return { teacher, student: base.student0, artifact: base.artifact0 }
}

/**
 * `diredi.round`: R rounds on the scenario's virtual boards, each starting where the last one left the
 * fleet (the current teacher version, the student the boards run). Every round's report is kept.
 */
export function roundJob(deps: RoundJobDeps): JobKind<RoundRequest, { rounds: RoundSummary[] }> {
  return {
    kind: 'diredi.round',
    title: (p) => `DiReDi ${p.rounds && p.rounds > 1 ? `${p.rounds} rounds` : 'round'} on ${p.scenario}`,
    async run(ctx, p) {
      const { scenario, file } = await deps.library.load(p.scenario)
      const rounds = p.rounds ?? 1
      ctx.log(`scenario ${scenario.name} (${file}): ${scenario.boards.length} boards on ${scenario.dataset}`)
      const base = { ...(await prepareBase(deps, scenario, file, { teacher: p.teacher, signal: ctx.signal, log: (l) => ctx.log(l), overrides: overridesOf(p) })), onPorts: p.onPorts }
      let start = await startOf(deps, base, p.teacher)
      const forms = new Map(scenario.boards.map((b) => [b.id, b.adapt ?? 'all']))
      const out: RoundSummary[] = []
      const progress = withEta((f, m, eta) => ctx.progress(f, m, eta))
      for (let r = 1; r <= rounds; r++) {
        const res = await runRound(deps, base, start, { form: (b) => forms.get(b) ?? 'all', teacherStep: true, rollOut: true, number: r }, {
          signal: ctx.signal,
          jobId: ctx.id,
          log: (l) => ctx.log(l),
          progress: (f, m) => progress((r - 1 + f) / rounds, { round: r, ...m })
        })
        await deps.records.putRound(res.report)
        start = res.next
        if (res.report.outcome === 'rolled-out') {
          await fs.mkdir(join(deps.dataDir, 'diredi', 'labs'), { recursive: true })
          await writeJsonAtomic(join(deps.dataDir, 'diredi', 'labs', `${base.key}.json`), { student: start.student.id, artifact: start.artifact.id } satisfies LabState)
        }
        ctx.log(`round ${r}: ${res.report.outcome}: ${res.report.summary}`)
        out.push(roundSummary(res.report))
      }
      return { rounds: out }
    }
  }
}

/** `diredi.experiment`: every method of the baseline table on one scenario (experiment.ts). */
export function experimentJob(deps: RoundJobDeps): JobKind<ExperimentRequest, { id: string; yardstick: ExperimentReport['yardstick'] }> {
  return {
    kind: 'diredi.experiment',
    title: (p) => `DiReDi experiment on ${p.scenario}${p.rounds && p.rounds > 1 ? ` (${p.rounds} rounds)` : ''}`,
    async run(ctx, p) {
      const r = await runExperiment(deps, p, { signal: ctx.signal, jobId: ctx.id, log: (l) => ctx.log(l), progress: withEta((f, m, eta) => ctx.progress(f, m, eta)) })
      return { id: r.id, yardstick: r.yardstick }
    }
  }
}
