import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { JobInfo, JobLogLine, JobSample } from '../../../shared/api/jobs'
import { useApi } from './api'

/** Jobs as the console reports them: the list, kept live by `job.updated` events, and per-job detail. */
export const useJobsStore = defineStore('jobs', () => {
  const api = useApi()
  const byId = ref<Record<string, JobInfo>>({})
  const series = ref<Record<string, JobSample[]>>({})
  const logs = ref<Record<string, JobLogLine[]>>({})
  const error = ref<ApiError | null>(null)
  const loaded = ref(false)

  api.on('job.updated', (j) => {
    byId.value[j.id] = j
    if (series.value[j.id] && Object.keys(j.metrics).length) {
      series.value[j.id].push({ at: new Date().toISOString(), progress: j.progress, metrics: { ...j.metrics } })
    }
  })
  api.on('job.log', ({ id, line }) => logs.value[id]?.push(line))

  const list = computed(() => Object.values(byId.value).sort((a, b) => b.createdAt.localeCompare(a.createdAt)))
  const running = computed(() => list.value.filter((j) => j.state === 'running' || j.state === 'queued'))

  async function load(): Promise<void> {
    const r = await api.call('jobs.list', { limit: 500 })
    if (!r.ok) {
      error.value = r.error
      return
    }
    error.value = null
    for (const j of r.value) byId.value[j.id] = j
    loaded.value = true
  }

  async function open(id: string): Promise<void> {
    const [j, s, l] = await Promise.all([api.call('jobs.get', { id }), api.call('jobs.series', { id }), api.call('jobs.log', { id })])
    if (!j.ok) {
      error.value = j.error
      return
    }
    byId.value[id] = j.value
    series.value[id] = s.ok ? s.value : []
    logs.value[id] = l.ok ? l.value : []
  }

  async function act(method: 'jobs.cancel' | 'jobs.resume', id: string): Promise<void> {
    const r = await api.call(method, { id })
    if (r.ok) byId.value[id] = r.value
    else error.value = r.error
  }

  return { byId, list, running, series, logs, error, loaded, load, open, cancel: (id: string) => act('jobs.cancel', id), resume: (id: string) => act('jobs.resume', id) }
})
