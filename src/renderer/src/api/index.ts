import { ipcClient, type DirediWindowBridge } from './ipc'
import type { ApiClient } from './types'
import { wsClient } from './ws'

export type { ApiClient, ConnectionState } from './types'

/**
 * Picks the transport: the preload's bridge in Electron, else a WebSocket to the web host that served
 * this page, authenticated with the session token from the URL's fragment (kept for reloads in
 * sessionStorage and removed from the address bar). Nothing else in the renderer knows the host.
 */
export function createApi(win: Window = window): ApiClient {
  const bridge = (win as unknown as { diredi?: DirediWindowBridge }).diredi
  if (bridge) return ipcClient(bridge)
  const fromHash = new URLSearchParams(win.location.hash.replace(/^#/, '')).get('token')
  if (fromHash) {
    win.sessionStorage.setItem('diredi.token', fromHash)
    win.history.replaceState(null, '', win.location.pathname + win.location.search)
  }
  const token = fromHash ?? win.sessionStorage.getItem('diredi.token') ?? ''
  const proto = win.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const client = wsClient(`${proto}//${win.location.host}/api?token=${encodeURIComponent(token)}`)
  return token ? client : Object.assign(client, { problem: 'This page has no session token, so the console refuses it: open the URL that `diredi serve` printed (it ends in #token=...).' })
}
