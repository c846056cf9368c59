import { IPC_EVENT, IPC_INVOKE } from '../../../shared/api/envelope'
import type { Result } from '../../../shared/api/errors'
import type { App } from '../../app/app'

/**
 * The narrow slice of Electron's ipcMain and WebContents this host uses. Keeping the host's logic
 * behind these shapes lets tests drive it with an in-memory fake at the lowest seam.
 */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}
export interface InvokeEventLike {
  senderFrame: { url: string } | null
  sender: { id: number }
}
export interface EventTarget {
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
}

/**
 * True only for the console's own page: the file:// renderer in production, or the dev server URL.
 * Every IPC message is checked against this before it reaches the router.
 */
export function makeSenderCheck(allowedOrigins: string[]): (e: InvokeEventLike) => boolean {
  return (e) => {
    const url = e.senderFrame?.url
    if (!url) return false
    try {
      const u = new URL(url)
      return allowedOrigins.some((o) => (o === 'file://' ? u.protocol === 'file:' : u.origin === o))
    } catch {
      return false
    }
  }
}

/** Serves the contract over IPC: one invoke channel for requests, one event channel pushed to the window. */
export function serveIpc(app: App, ipcMain: IpcMainLike, target: () => EventTarget | null, trusted: (e: InvokeEventLike) => boolean): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, method, params): Promise<Result<unknown>> => {
    if (!trusted(event)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC message from a page that is not the console; ignored' } }
    }
    return app.router.call(method, params, { via: 'electron' })
  })
  const unsubscribe = app.events.subscribe((name, payload) => {
    const t = target()
    if (t && !t.isDestroyed()) t.send(IPC_EVENT, name, payload)
  })
  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    unsubscribe()
  }
}
