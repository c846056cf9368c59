import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { ArtifactRecord, ModelRecord } from '../../../shared/model/records'
import { newestFirst, versionLines } from '../models/lineage'
import { useApi } from './api'
import { sharedRead } from './shared-read'

/** Teachers, students and their int8 artifacts, kept live by `registry.changed` events. */
export const useModelsStore = defineStore('models', () => {
  const api = useApi()
  const byId = ref<Record<string, ModelRecord>>({})
  const artifactsById = ref<Record<string, ArtifactRecord>>({})
  const error = ref<ApiError | null>(null)
  const loaded = ref(false)

  api.on('registry.changed', (c) => {
    if (c.kind === 'model') {
      if (c.change === 'removed') delete byId.value[c.id]
      else void fetch(c.id)
    } else if (c.kind === 'artifact') {
      // The contract has no single-artifact read yet: take the list again.
      if (c.change === 'removed') delete artifactsById.value[c.id]
      else void loadArtifacts()
    }
  })
  api.onState((s) => {
    if (s === 'open' && loaded.value) void load()
  })

  const all = computed(() => Object.values(byId.value).sort(newestFirst))
  const teachers = computed(() => all.value.filter((m) => m.kind === 'teacher'))
  const students = computed(() => all.value.filter((m) => m.kind === 'student'))
  const artifacts = computed(() => Object.values(artifactsById.value).sort(newestFirst))
  /** Teacher version lines (a version names its predecessor in lineage.parentId), newest line first. */
  const teacherLines = computed(() => versionLines(teachers.value))

  /** By id, name or alias. */
  function find(ref: string): ModelRecord | undefined {
    return byId.value[ref] ?? all.value.find((m) => m.name === ref || m.aliases?.includes(ref))
  }
  const artifactsOf = (modelId: string) => artifacts.value.filter((a) => a.modelId === modelId)
  const studentsOf = (teacherId: string) => students.value.filter((m) => m.lineage.teacherId === teacherId)
  const trainedOn = (datasetId: string) => all.value.filter((m) => m.lineage.datasetId === datasetId)

  async function loadArtifacts(): Promise<void> {
    const r = await api.call('artifacts.list', {})
    if (!r.ok) {
      error.value = r.error
      return
    }
    artifactsById.value = Object.fromEntries(r.value.map((a) => [a.id, a]))
  }

  /** load(): read the list (again), one read shared by concurrent callers; ready(): read once at least. */
  const { load, ready } = sharedRead(() => read(), loaded)

  async function read(): Promise<void> {
    const r = await api.call('models.list', {})
    if (!r.ok) {
      error.value = r.error
      return
    }
    byId.value = Object.fromEntries(r.value.map((m) => [m.id, m]))
    error.value = null
    await loadArtifacts()
    loaded.value = true
  }

  async function fetch(ref: string): Promise<ModelRecord | null> {
    const r = await api.call('models.get', { ref })
    if (!r.ok) {
      error.value = r.error
      return null
    }
    byId.value[r.value.id] = r.value
    return r.value
  }

  return { byId, artifactsById, all, teachers, students, artifacts, teacherLines, error, loaded, ready, find, artifactsOf, studentsOf, trainedOn, load, loadArtifacts, fetch }
})
