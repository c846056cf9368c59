import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { FleetPort } from '../../../shared/api/fleet-types'
import { useApi } from './api'

/** Serial ports as discovery sees them, kept live by `fleet.port` events; adding and forgetting ports. */
export const usePortsStore = defineStore('ports', () => {
  const api = useApi()
  const byPath = ref<Record<string, FleetPort>>({})
  const error = ref<ApiError | null>(null)
  const loaded = ref(false)

  api.on('fleet.port', ({ change, port }) => {
    if (change === 'removed') delete byPath.value[port.path]
    else byPath.value[port.path] = port
  })

  const list = computed(() => Object.values(byPath.value).sort((a, b) => a.path.localeCompare(b.path)))

  async function load(): Promise<void> {
    const r = await api.call('fleet.ports', {})
    if (!r.ok) {
      error.value = r.error
      return
    }
    error.value = null
    byPath.value = Object.fromEntries(r.value.map((p) => [p.path, p]))
    loaded.value = true
  }

  /** Adds a port the console opens and keeps open; false with `error` set when refused. */
  async function add(path: string): Promise<boolean> {
    const r = await api.call('fleet.addPort', { path: path.trim() })
    if (!r.ok) {
      error.value = r.error
      return false
    }
    error.value = null
    byPath.value[r.value.path] = r.value
    return true
  }

  async function remove(path: string): Promise<void> {
    const r = await api.call('fleet.removePort', { path })
    if (!r.ok) error.value = r.error
    else {
      error.value = null
      await load()
    }
  }

  return { byPath, list, error, loaded, load, add, remove }
})
