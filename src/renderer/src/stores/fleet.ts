import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { BoardHistoryEntry, BoardRecord } from '../../../shared/api/fleet-types'
import { useApi } from './api'

export type FleetSortKey = 'name' | 'group' | 'lastSeen' | 'online' | 'firmware'

/** The fleet as the console knows it: every board by stable id, kept live by `fleet.board` events. */
export const useFleetStore = defineStore('fleet', () => {
  const api = useApi()
  const byId = ref<Record<string, BoardRecord>>({})
  const history = ref<Record<string, BoardHistoryEntry[]>>({})
  const error = ref<ApiError | null>(null)
  const loaded = ref(false)
  const filter = ref('')
  const group = ref<string | null>(null)
  const sortKey = ref<FleetSortKey>('name')
  const sortDesc = ref(false)

  api.on('fleet.board', (b) => {
    byId.value[b.id] = b
  })

  const all = computed(() => Object.values(byId.value))
  const groups = computed(() => [...new Set(all.value.map((b) => b.group).filter((g): g is string => g !== null))].sort())
  const shown = computed(() => {
    const q = filter.value.trim().toLowerCase()
    const rows = all.value.filter(
      (b) =>
        (group.value === null || b.group === group.value) &&
        (!q || [b.id, b.name, b.port ?? '', b.firmware ?? '', b.boardClass ?? '', ...b.labels].some((s) => s.toLowerCase().includes(q)))
    )
    const key = sortKey.value
    const val = (b: BoardRecord): string => (key === 'online' ? (b.online ? '0' : '1') : String(b[key] ?? '￿'))
    rows.sort((a, b) => val(a).localeCompare(val(b)) || a.id.localeCompare(b.id))
    return sortDesc.value ? rows.reverse() : rows
  })
  const online = computed(() => all.value.filter((b) => b.online).length)

  function sortBy(k: FleetSortKey) {
    if (sortKey.value === k) sortDesc.value = !sortDesc.value
    else {
      sortKey.value = k
      sortDesc.value = false
    }
  }

  async function load(): Promise<void> {
    const r = await api.call('fleet.boards', {})
    if (!r.ok) {
      error.value = r.error
      return
    }
    error.value = null
    byId.value = Object.fromEntries(r.value.map((b) => [b.id, b]))
    loaded.value = true
  }

  async function loadHistory(id: string): Promise<void> {
    const r = await api.call('fleet.history', { id, limit: 1000 })
    if (r.ok) history.value[id] = r.value
    else error.value = r.error
  }

  async function label(id: string, patch: { name?: string; labels?: string[]; group?: string | null }): Promise<boolean> {
    const r = await api.call('fleet.label', { id, ...patch })
    if (!r.ok) {
      error.value = r.error
      return false
    }
    byId.value[id] = r.value
    error.value = null
    return true
  }

  return { byId, all, shown, groups, online, history, error, loaded, filter, group, sortKey, sortDesc, sortBy, load, loadHistory, label }
})
