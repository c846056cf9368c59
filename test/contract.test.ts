/**
 * The contract over both transports, against the real services: the Electron IPC path (host's serveIpc
 * + preload's bridge + renderer's ipc client, joined by an in-memory ipcMain/ipcRenderer at the lowest
 * seam) and the web path (the real web host and the renderer's WebSocket client over a real socket).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { createApp, type App } from '../src/main/app/app'
import { makeSenderCheck, serveIpc, type InvokeEventLike, type IpcMainLike } from '../src/main/hosts/electron/ipc'
import { startWebHost, type WebHost } from '../src/main/hosts/web/server'
import { buildBridge, type IpcRendererLike } from '../src/preload/bridge'
import { ipcClient, type DirediWindowBridge } from '../src/renderer/src/api/ipc'
import type { ApiClient } from '../src/renderer/src/api/types'
import { wsClient, type SocketFactory } from '../src/renderer/src/api/ws'
import type { JobInfo } from '../src/shared/api/jobs'

/** An in-memory ipcMain + ipcRenderer pair, joined as Electron joins them, with a settable sender URL. */
function fakeIpc(senderUrl: () => string) {
  const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>>()
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>()
  const ipcMain: IpcMainLike = {
    handle: (ch, fn) => void handlers.set(ch, fn),
    removeHandler: (ch) => void handlers.delete(ch)
  }
  const ipcRenderer: IpcRendererLike = {
    invoke: async (ch, ...args) => {
      const h = handlers.get(ch)
      if (!h) throw new Error(`No handler registered for '${ch}'`)
      // Electron structured-clones arguments and results; so does this seam.
      return structuredClone(await h({ senderFrame: { url: senderUrl() }, sender: { id: 1 } }, ...structuredClone(args)))
    },
    on: (ch, fn) => void (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch))!.add(fn),
    removeListener: (ch, fn) => void listeners.get(ch)?.delete(fn)
  }
  const webContents = {
    send: (ch: string, ...args: unknown[]) => listeners.get(ch)?.forEach((fn) => fn({}, ...structuredClone(args))),
    isDestroyed: () => false
  }
  return { ipcMain, ipcRenderer, webContents, handlers }
}

let app: App
let web: WebHost
let sender = 'file:///opt/diredi/out/renderer/index.html'
let stopIpc: () => void
const clients: Record<'ipc' | 'websocket', ApiClient> = {} as never

beforeAll(async () => {
  app = await createApp({ dataDir: mkdtempSync(join(tmpdir(), 'diredi-contract-')), host: 'web' })
  app.services.jobs.register<{ steps: number }, { steps: number }>({
    kind: 'test.steps',
    title: (p) => `${p.steps} steps`,
    async run(ctx, p) {
      for (let i = 1; i <= p.steps; i++) {
        ctx.progress(i / p.steps, { step: i })
        await new Promise((r) => setTimeout(r, 5))
      }
      return { steps: p.steps }
    }
  })
  const ipc = fakeIpc(() => sender)
  stopIpc = serveIpc(app, ipc.ipcMain, () => ipc.webContents, makeSenderCheck(['file://']))
  clients.ipc = ipcClient(buildBridge(ipc.ipcRenderer) as unknown as DirediWindowBridge)
  web = await startWebHost(app, { port: 0, rendererDir: mkdtempSync(join(tmpdir(), 'diredi-ui-')) })
  clients.websocket = wsClient(`ws://127.0.0.1:${web.port}/api?token=${web.token}`, WebSocket as unknown as SocketFactory)
})

afterAll(async () => {
  clients.websocket?.close()
  stopIpc?.()
  await web?.close()
  await app?.dispose()
})

describe.each(['ipc', 'websocket'] as const)('the contract over %s', (t) => {
  it('answers system.status from the real services', async () => {
    const r = await clients[t].call('system.status', {})
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(['tensorflow', 'wasm', 'cpu']).toContain(r.value.backend.name)
    expect(r.value.dataDir).toBe(app.services.dataDir)
  })

  it('returns coded errors for bad params and unknown methods, never throwing', async () => {
    const bad = await clients[t].call('jobs.get', { id: 12 } as never)
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    const missing = await clients[t].call('jobs.get', { id: 'no-such-job' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const unknown = await clients[t].call('system.selfDestruct' as never, {} as never)
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
  })

  it('delivers events: a job started in the console reports progress to the client', async () => {
    const updates: JobInfo[] = []
    const off = clients[t].on('job.updated', (j) => updates.push(j))
    const job = await app.services.jobs.start('test.steps', { steps: 5 })
    await app.services.jobs.wait(job.id)
    await new Promise((r) => setTimeout(r, 100))
    off()
    const mine = updates.filter((u) => u.id === job.id)
    expect(mine.at(-1)?.state).toBe('succeeded')
    expect(mine.at(-1)?.metrics.step).toBe(5)
  })
})

describe('the Electron path checks every sender', () => {
  it('refuses a message from a page that is not the console', async () => {
    sender = 'https://evil.example/page.html'
    try {
      const r = await clients.ipc.call('system.status', {})
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    } finally {
      sender = 'file:///opt/diredi/out/renderer/index.html'
    }
  })
})

describe('the web host refuses what is not its own page', () => {
  const open = (url: string, headers: Record<string, string> = {}) =>
    new Promise<{ opened: boolean; status?: number }>((resolve) => {
      const ws = new WebSocket(url, { headers })
      ws.on('open', () => {
        ws.close()
        resolve({ opened: true })
      })
      ws.on('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }))
      ws.on('error', () => resolve({ opened: false }))
    })

  it('needs the session token', async () => {
    expect(await open(`ws://127.0.0.1:${web.port}/api`)).toEqual({ opened: false, status: 401 })
    expect(await open(`ws://127.0.0.1:${web.port}/api?token=wrong`)).toEqual({ opened: false, status: 401 })
    expect((await open(`ws://127.0.0.1:${web.port}/api?token=${web.token}`)).opened).toBe(true)
  })

  it('refuses another origin and another Host (DNS rebinding)', async () => {
    expect(await open(`ws://127.0.0.1:${web.port}/api?token=${web.token}`, { Origin: 'http://evil.example' })).toEqual({ opened: false, status: 401 })
    expect(await open(`ws://127.0.0.1:${web.port}/api?token=${web.token}`, { Host: `evil.example:${web.port}` })).toEqual({ opened: false, status: 401 })
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request({ host: '127.0.0.1', port: web.port, path: '/', headers: { Host: 'evil.example' } }, (res) => {
        res.resume()
        resolve(res.statusCode)
      })
        .on('error', reject)
        .end()
    )
    expect(status).toBe(421)
  })

  it('answers a malformed message with BAD_REQUEST and stays up', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api?token=${web.token}`)
    await new Promise((r) => ws.once('open', r))
    const replies: unknown[] = []
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { t: string }
      if (m.t === 'res') replies.push(m)
    })
    ws.send('{not json')
    ws.send(JSON.stringify({ t: 'req', id: 9, method: 'system.ping' }))
    ws.send(JSON.stringify({ t: 'nope', id: 3 }))
    await new Promise((r) => setTimeout(r, 200))
    ws.close()
    expect(replies).toContainEqual({ t: 'res', id: -1, result: expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'BAD_REQUEST' }) }) })
    expect(replies).toContainEqual({ t: 'res', id: 9, result: expect.objectContaining({ ok: true }) })
    expect(replies).toContainEqual({ t: 'res', id: 3, result: expect.objectContaining({ ok: false }) })
  })
})
