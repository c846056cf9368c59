import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { DatasetImportResult, DatasetRecord } from '../../../shared/api/datasets'
import type { ParamsIn } from '../../../shared/api/contract'
import { newestFirst } from '../models/lineage'
import { useApi } from './api'

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

  let inflight: Promise<void> | null = null
  /** Reads the list (again); concurrent callers share one read. */
  function load(): Promise<void> {
    inflight ??= read().finally(() => (inflight = null))
    return inflight
  }
  /** Resolves once the list has been read at least once (reading it if nobody has yet). */
  async function ready(): Promise<void> {
    if (inflight) await inflight
    else if (!loaded.value) await load()
  }

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
