/**
 * The Electron host: one window over the same services and contract as the web host, through IPC.
 * Started by `npm start` when Electron's binary is installed (scripts/start.mjs falls back to the web
 * host otherwise).
 */
import { app as electronApp, BrowserWindow, dialog, ipcMain, session } from 'electron'
import { join } from 'node:path'
import { createApp, type App } from '../../app/app'
import { resolveDataDir } from '../../app/config'
import { packageRoot } from '../../core/entries'
import { acquireConsole, type ConsoleLock } from '../console-lock'
import { makeSenderCheck, serveIpc } from './ipc'
import { ELECTRON_CSP, isNavigationAllowed, windowOptions } from './window'

const devUrl = process.env.ELECTRON_RENDERER_URL
const origins = devUrl ? [new URL(devUrl).origin] : ['file://']

let core: App | null = null
let lock: ConsoleLock | null = null
let win: BrowserWindow | null = null

async function boot(): Promise<void> {
  await electronApp.whenReady()
  // One console per data directory (as `diredi serve`): it owns the ports and the rollout queue.
  const dataDir = resolveDataDir()
  const got = await acquireConsole(dataDir, { kind: 'electron', command: 'the desktop console' })
  if ('holder' in got) {
    const h = got.holder
    dialog.showErrorBox('DiReDi console', `${h.command} (pid ${h.pid}) already uses ${dataDir}${h.url ? `; it serves it at ${h.url.replace(/#.*/, '')}` : ''}. Use that one, or stop it first.`)
    electronApp.exit(1)
    return
  }
  lock = got.lock
  core = await createApp({ dataDir, host: 'electron' })

  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))

  win = new BrowserWindow(windowOptions(join(packageRoot, 'out', 'preload', 'index.cjs')))
  const stopIpc = serveIpc(core, ipcMain, () => win?.webContents ?? null, makeSenderCheck(origins))
  win.webContents.on('will-navigate', (e, url) => {
    if (!isNavigationAllowed(url, origins)) e.preventDefault()
  })
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.once('ready-to-show', () => win?.show())
  win.on('closed', () => {
    stopIpc()
    win = null
  })
  if (devUrl) await win.loadURL(devUrl)
  else await win.loadFile(join(packageRoot, 'out', 'renderer', 'index.html'))
}

electronApp.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault())
})
electronApp.on('window-all-closed', () => electronApp.quit())
let quitting = false
electronApp.on('before-quit', (e) => {
  if (quitting || !core) return
  e.preventDefault()
  quitting = true
  void core
    .dispose()
    .then(() => lock?.release())
    .finally(() => electronApp.quit())
})

boot().catch(async (e: unknown) => {
  console.error('the console failed to start:', e)
  await lock?.release().catch(() => undefined)
  electronApp.exit(1)
})
