import type { Handlers } from '../router'
import type { Services } from '../services'

type DirediMethod = Extract<keyof Handlers, `diredi.${string}`>

export function direDiHandlers(s: Services): Pick<Handlers, DirediMethod> {
  const d = s.diredi
  return {
    'diredi.scenarios': () => d.scenarios(),
    'diredi.round': (p) => d.startRound(p),
    'diredi.experiment': (p) => d.startExperiment(p),
    'diredi.rounds': (p) => d.records.listRounds(p.limit),
    'diredi.roundReport': (p) => d.round(p.id),
    'diredi.qaHtml': (p) => d.qaHtml(p.round),
    'diredi.experiments': () => d.records.listExperiments(),
    'diredi.experimentReport': (p) => d.experiment(p.id),
    'diredi.chartSvg': (p) => d.chartSvg(p.experiment),
    'diredi.teachers': () => d.teacherLines(),
    'diredi.restoreTeacher': (p) => d.restoreTeacher(p.id)
  }
}
