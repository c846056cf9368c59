import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SystemStatus } from '../../../shared/api/system'
import type { ApiError } from '../../../shared/api/errors'
import type { ConnectionState } from '../api'
import { useApi } from './api'

/** The console's own status and the connection to it. */
export const useSystemStore = defineStore('system', () => {
  const api = useApi()
  const status = ref<SystemStatus | null>(null)
  const error = ref<ApiError | null>(null)
  const connection = ref<ConnectionState>(api.state)
  api.onState((s) => {
    connection.value = s
    if (s === 'open') void refresh()
  })

  async function refresh(): Promise<void> {
    const r = await api.call('system.status', {})
    if (r.ok) {
      status.value = r.value
      error.value = null
    } else error.value = r.error
  }

  return { status, error, connection, transport: api.transport, problem: api.problem ?? null, refresh }
})
