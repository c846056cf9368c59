import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { DatasetImportResult, DatasetRecord } from '../../../shared/api/datasets'
import type { ParamsIn } from '../../../shared/api/contract'
import { newestFirst } from '../models/lineage'
import { useApi } from './api'
import { sharedRead } from './shared-read'

/** Datasets in the registry, kept live by `registry.changed` events; importing and verifying them. */
export const useDatasetsStore = defineStore('datasets', () => {
  const api = useApi()
  const byId = ref<Record<string, DatasetRecord>>({})
  const error = ref<ApiError | null>(null)
  const loaded = ref(false)
  const importing = ref(false)
  const importError = ref<ApiError | null>(null)
  const lastImport = ref<DatasetImportResult | null>(null)
  /** Outcome of the last hash check per dataset id. */
  const verified = ref<Record<string, boolean>>({})

  api.on('registry.changed', (c) => {
    if (c.kind !== 'dataset') return
    if (c.change === 'removed') delete byId.value[c.id]
    else void fetch(c.id)
  })
  // After a reconnect the console may have changed meanwhile: read the list again.
  api.onState((s) => {
    if (s === 'open' && loaded.value) void load()
  })

  const list = computed(() => Object.values(byId.value).sort(newestFirst))

  /** By id, name or alias (as the registry accepts refs). */
  function find(ref: string): DatasetRecord | undefined {
    return byId.value[ref] ?? list.value.find((d) => d.name === ref || d.aliases?.includes(ref))
  }

  /** load(): read the list (again), one read shared by concurrent callers; ready(): read once at least. */
  const { load, ready } = sharedRead(() => read(), loaded)

  async function read(): Promise<void> {
    const r = await api.call('datasets.list', {})
    if (!r.ok) {
      error.value = r.error
      return
    }
    error.value = null
    byId.value = Object.fromEntries(r.value.map((d) => [d.id, d]))
    loaded.value = true
  }

  async function fetch(ref: string): Promise<DatasetRecord | null> {
    const r = await api.call('datasets.get', { ref })
    if (!r.ok) {
      error.value = r.error
      return null
    }
    byId.value[r.value.id] = r.value
    return r.value
  }

  async function importDataset(params: ParamsIn<'datasets.import'>): Promise<DatasetImportResult | null> {
    importing.value = true
    importError.value = null
    try {
      const r = await api.call('datasets.import', params)
      if (!r.ok) {
        importError.value = r.error
        return null
      }
      byId.value[r.value.record.id] = r.value.record
      lastImport.value = r.value
      return r.value
    } finally {
      importing.value = false
    }
  }

  async function verify(ref: string): Promise<void> {
    const r = await api.call('datasets.verify', { ref })
    if (!r.ok) {
      error.value = r.error
      return
    }
    verified.value[r.value.record.id] = r.value.ok
  }

  return { byId, list, error, loaded, ready, importing, importError, lastImport, verified, find, load, fetch, importDataset, verify }
})
