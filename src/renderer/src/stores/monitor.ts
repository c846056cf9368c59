import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '../../../shared/api/errors'
import type { MonitorLine } from '../../../shared/api/fleet-types'
import { useApi } from './api'

export type LogLevel = MonitorLine['level']
const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error']
/** Lines kept in view; older ones stay in the console's ring (and in a saved file). */
export const MONITOR_KEEP = 5000

/**
 * The serial monitor of one board: its log lines from `fleet.logs`, then live `board.log` lines for that
 * board id. The filter is the console's own query (text contained, case-insensitive; level at or above);
 * live lines are matched by the same rule so the view equals what a reload would show. Pause is
 * client-side: while paused, lines are held (and counted), and appended when resumed.
 */
export const useMonitorStore = defineStore('monitor', () => {
  const api = useApi()
  const boardId = ref<string | null>(null)
  const lines = ref<MonitorLine[]>([])
  const held = ref<MonitorLine[]>([])
  /** Lines dropped from the front since `open` (so `dropped + index` is a stable key for a line). */
  const dropped = ref(0)
  const contains = ref('')
  const level = ref<LogLevel>('debug')
  const paused = ref(false)
  const error = ref<ApiError | null>(null)
  const saved = ref<{ file: string; lines: number } | null>(null)

  const matches = (l: MonitorLine) =>
    LEVELS.indexOf(l.level) >= LEVELS.indexOf(level.value) && (!contains.value || l.text.toLowerCase().includes(contains.value.toLowerCase()))

  api.on('board.log', (l) => {
    if (boardId.value === null || l.boardId !== boardId.value || !matches(l)) return
    const line: MonitorLine = { boardId: l.boardId, path: l.path, level: l.level, uptimeMs: l.uptimeMs, text: l.text, at: l.at }
    if (paused.value) held.value.push(line)
    else append([line])
  })

  function append(more: MonitorLine[]) {
    const next = lines.value.concat(more)
    const over = Math.max(0, next.length - MONITOR_KEEP)
    dropped.value += over
    lines.value = over ? next.slice(over) : next
  }

  const query = () => ({ boardId: boardId.value ?? undefined, ...(contains.value && { contains: contains.value }), ...(level.value !== 'debug' && { level: level.value }) })

  /** Opens (or re-queries, after a filter change) the monitor of `id`. */
  async function open(id: string): Promise<void> {
    boardId.value = id
    held.value = []
    const r = await api.call('fleet.logs', { ...query(), limit: MONITOR_KEEP })
    if (!r.ok) {
      error.value = r.error
      return
    }
    error.value = null
    lines.value = r.value
    dropped.value = 0
  }

  function setPaused(p: boolean) {
    paused.value = p
    if (!p && held.value.length) {
      append(held.value)
      held.value = []
    }
  }

  /** Saves the lines matching the filter to `file` (absolute path on the console's machine). */
  async function save(file: string): Promise<boolean> {
    const r = await api.call('fleet.saveLog', { ...query(), file: file.trim() })
    if (!r.ok) {
      error.value = r.error
      saved.value = null
      return false
    }
    error.value = null
    saved.value = r.value
    return true
  }

  const heldCount = computed(() => held.value.length)

  return { boardId, lines, dropped, contains, level, paused, heldCount, error, saved, open, setPaused, save }
})
