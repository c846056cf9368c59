import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { BoardTelemetry } from '../../../shared/api/fleet-types'
import { useApi } from './api'

/** Per-board inference telemetry (rate, latency), kept live by `fleet.telemetry` events. */
export const useTelemetryStore = defineStore('telemetry', () => {
  const api = useApi()
  const byId = ref<Record<string, BoardTelemetry>>({})
  const error = ref<ApiError | null>(null)

  api.on('fleet.telemetry', (t) => {
    byId.value[t.boardId] = t
  })

  /** Reads one board's figures afresh (the recent rate decays while a board is idle, with no event). */
  async function load(id: string): Promise<void> {
    const r = await api.call('fleet.telemetry', { id })
    if (!r.ok) {
      error.value = r.error
      return
    }
    error.value = null
    byId.value[id] = r.value
  }

  return { byId, error, load }
})
