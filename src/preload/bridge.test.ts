import { describe, expect, it } from 'vitest'
import { methodNames } from '../shared/api/contract'
import { IPC_EVENT, IPC_INVOKE } from '../shared/api/envelope'
import { buildBridge, type IpcRendererLike } from './bridge'

describe('preload bridge', () => {
  it('exposes exactly one named function per contract method, and nothing of ipcRenderer', async () => {
    const calls: unknown[][] = []
    const ipc: IpcRendererLike = {
      invoke: async (...a) => {
        calls.push(a)
        return { ok: true, value: 1 }
      },
      on: () => undefined,
      removeListener: () => undefined
    }
    const b = buildBridge(ipc)
    expect(Object.keys(b.invoke).sort()).toEqual([...methodNames].sort())
    expect(Object.keys(b).sort()).toEqual(['invoke', 'onEvent'])
    expect(Object.isFrozen(b.invoke)).toBe(true)
    await b.invoke['system.status']({})
    expect(calls).toEqual([[IPC_INVOKE, 'system.status', {}]])
  })

  it('subscribes and unsubscribes the event channel', () => {
    const ls = new Set<(e: unknown, ...a: unknown[]) => void>()
    const ipc: IpcRendererLike = { invoke: async () => null, on: (ch, fn) => ch === IPC_EVENT && ls.add(fn), removeListener: (_ch, fn) => ls.delete(fn) }
    const got: unknown[] = []
    const off = buildBridge(ipc).onEvent((n, p) => got.push([n, p]))
    ls.forEach((fn) => fn({}, 'system.log', { level: 'info', message: 'hi', at: 'now' }))
    off()
    expect(ls.size).toBe(0)
    expect(got).toEqual([['system.log', { level: 'info', message: 'hi', at: 'now' }]])
  })
})
