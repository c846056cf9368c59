import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ExperimentReport, ExperimentSummary, RoundReport, RoundSummary, ScenarioSummary, TeacherLine } from '../../../shared/api/diredi'
import type { ApiError } from '../../../shared/api/errors'
import { useApi } from './api'

/** What the demo and experiment forms send: a scenario from the library and a number of rounds. */
export interface RunRequest {
  scenario: string
  rounds?: number
}

/**
 * The DiReDi loop as the console reports it (docs/method.md): scenarios, rounds with their reports
 * (inbox, ledger, QA), experiments, and teacher lines with restore. Rounds and experiments run as
 * jobs: starting one returns its job id, and the jobs store follows it.
 */
export const useDirediStore = defineStore('diredi', () => {
  const api = useApi()
  const scenarios = ref<ScenarioSummary[]>([])
  const rounds = ref<RoundSummary[]>([])
  const roundsById = ref<Record<string, RoundReport>>({})
  const experiments = ref<ExperimentSummary[]>([])
  const experimentsById = ref<Record<string, ExperimentReport>>({})
  const teacherLines = ref<TeacherLine[]>([])
  const error = ref<ApiError | null>(null)
  /** The last start attempt's error (demo round or experiment), shown by the form that started it. */
  const startError = ref<ApiError | null>(null)
  const teachersLoaded = ref(false)
  /** Lists read at least once (someone shows them): only those are kept fresh. */
  let roundsRead = false
  let experimentsRead = false

  api.on('job.updated', (j) => {
    // A finished round or experiment wrote its report: the lists are stale.
    if (j.state !== 'succeeded' && j.state !== 'failed') return
    if (j.kind === 'diredi.round' && roundsRead) void loadRounds()
    else if (j.kind === 'diredi.experiment' && experimentsRead) void loadExperiments()
  })

  api.on('registry.changed', (c) => {
    // A new or removed teacher changes its line; a round that made one also moved the line's pointer.
    if (c.kind === 'model' && teachersLoaded.value) void loadTeachers()
  })

  /** Teacher id → whether it is the current version of its line (for the Models page's badges). */
  const currentTeacher = computed(() => {
    const m: Record<string, boolean> = {}
    for (const l of teacherLines.value) for (const v of l.versions) m[v.id] = v.current
    return m
  })

  function failed(e: ApiError): null {
    error.value = e
    return null
  }

  async function loadScenarios(): Promise<void> {
    const r = await api.call('diredi.scenarios', {})
    if (r.ok) scenarios.value = r.value
    else failed(r.error)
  }

  async function loadRounds(): Promise<void> {
    const r = await api.call('diredi.rounds', {})
    if (!r.ok) return void failed(r.error)
    rounds.value = r.value
    roundsRead = true
    error.value = null
  }

  async function openRound(id: string): Promise<RoundReport | null> {
    const r = await api.call('diredi.roundReport', { id })
    if (!r.ok) return failed(r.error)
    roundsById.value[id] = r.value
    error.value = null
    return r.value
  }

  async function loadExperiments(): Promise<void> {
    const r = await api.call('diredi.experiments', {})
    if (!r.ok) return void failed(r.error)
    experiments.value = r.value
    experimentsRead = true
    error.value = null
  }

  async function openExperiment(id: string): Promise<ExperimentReport | null> {
    const r = await api.call('diredi.experimentReport', { id })
    if (!r.ok) return failed(r.error)
    experimentsById.value[id] = r.value
    error.value = null
    return r.value
  }

  /** The experiment's chart as SVG text, drawn by the console (the same picture `--out` writes). */
  async function chartSvg(id: string): Promise<string | null> {
    const r = await api.call('diredi.chartSvg', { experiment: id })
    return r.ok ? r.value.svg : failed(r.error)
  }

  /** The round's QA report as a standalone HTML page and the file name to save it under. */
  async function qaHtml(roundId: string): Promise<{ html: string; fileName: string } | null> {
    const r = await api.call('diredi.qaHtml', { round: roundId })
    return r.ok ? r.value : failed(r.error)
  }

  async function start(method: 'diredi.round' | 'diredi.experiment', req: RunRequest): Promise<string | null> {
    const r = await api.call(method, { scenario: req.scenario, ...(req.rounds !== undefined && { rounds: req.rounds }) })
    if (!r.ok) {
      startError.value = r.error
      return null
    }
    startError.value = null
    return r.value.id
  }

  async function loadTeachers(): Promise<void> {
    const r = await api.call('diredi.teachers', {})
    if (!r.ok) return void failed(r.error)
    teacherLines.value = r.value
    teachersLoaded.value = true
    error.value = null
  }

  /** Makes an earlier version current; the line comes back as the console now sees it. */
  async function restoreTeacher(id: string): Promise<boolean> {
    const r = await api.call('diredi.restoreTeacher', { id })
    if (!r.ok) return failed(r.error) ?? false
    const i = teacherLines.value.findIndex((l) => l.line === r.value.line)
    if (i >= 0) teacherLines.value[i] = r.value
    else teacherLines.value.push(r.value)
    error.value = null
    return true
  }

  return {
    scenarios, rounds, roundsById, experiments, experimentsById, teacherLines, teachersLoaded, currentTeacher, error, startError,
    loadScenarios, loadRounds, openRound, loadExperiments, openExperiment, chartSvg, qaHtml, loadTeachers, restoreTeacher,
    startRound: (req: RunRequest) => start('diredi.round', req),
    startExperiment: (req: RunRequest) => start('diredi.experiment', req)
  }
})
