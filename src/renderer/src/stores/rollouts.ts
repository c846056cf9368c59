import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { RolloutView } from '../../../shared/api/fleet'
import type { ArtifactRecord } from '../../../shared/model/records'
import { useApi } from './api'

/** What the "New rollout" form sends: a group, optional wave size and failure threshold. */
export interface RolloutRequest {
  artifactId: string
  group: string
  concurrency: number
  waveSize?: number
  abortAfter: number | null
}

/** Rollouts as the console reports them, kept live by `fleet.rollout` events; starting, cancelling, resuming. */
export const useRolloutsStore = defineStore('rollouts', () => {
  const api = useApi()
  const byId = ref<Record<string, RolloutView>>({})
  const artifacts = ref<ArtifactRecord[]>([])
  const groups = ref<string[]>([])
  const error = ref<ApiError | null>(null)
  /** The last start attempt's error, shown by the form (kept apart from the list's error). */
  const startError = ref<ApiError | null>(null)
  const loaded = ref(false)

  api.on('fleet.rollout', (v) => {
    byId.value[v.plan.id] = v
  })

  /** Newest first. */
  const list = computed(() => Object.values(byId.value).sort((a, b) => b.plan.createdAt.localeCompare(a.plan.createdAt) || b.plan.id.localeCompare(a.plan.id)))

  async function load(): Promise<void> {
    const r = await api.call('fleet.rollouts', {})
    if (!r.ok) {
      error.value = r.error
      return
    }
    error.value = null
    byId.value = Object.fromEntries(r.value.map((v) => [v.plan.id, v]))
    loaded.value = true
  }

  async function open(id: string): Promise<void> {
    const r = await api.call('fleet.rolloutGet', { id })
    if (r.ok) {
      byId.value[id] = r.value
      error.value = null
    } else error.value = r.error
  }

  /** Choices for the form: artifacts (newest first) and groups in use. */
  async function loadChoices(): Promise<void> {
    const [a, g] = await Promise.all([api.call('artifacts.list', {}), api.call('fleet.groups', {})])
    if (a.ok) artifacts.value = [...a.value].reverse()
    else error.value = a.error
    if (g.ok) groups.value = g.value
    else error.value = g.error
  }

  /** Starts a rollout; resolves to its job id, or null with `startError` set. */
  async function start(req: RolloutRequest): Promise<string | null> {
    const r = await api.call('fleet.rollout', {
      artifactId: req.artifactId,
      group: req.group,
      concurrency: req.concurrency,
      abortAfter: req.abortAfter,
      ...(req.waveSize !== undefined && { waveSize: req.waveSize })
    })
    if (!r.ok) {
      startError.value = r.error
      return null
    }
    startError.value = null
    await load()
    return r.value.jobId
  }

  async function act(method: 'jobs.cancel' | 'jobs.resume', rolloutId: string): Promise<void> {
    const jobId = byId.value[rolloutId]?.plan.jobId
    if (!jobId) {
      error.value = { code: 'INVALID_INPUT', message: `rollout ${rolloutId} has no job to ${method === 'jobs.cancel' ? 'cancel' : 'resume'}; reload the page` }
      return
    }
    const r = await api.call(method, { id: jobId })
    if (!r.ok) error.value = r.error
    else {
      error.value = null
      await open(rolloutId)
    }
  }

  return {
    byId, list, artifacts, groups, error, startError, loaded, load, open, loadChoices, start,
    cancel: (id: string) => act('jobs.cancel', id),
    resume: (id: string) => act('jobs.resume', id)
  }
})
