import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { ClientMessage, type HostMessage } from '../../../shared/api/envelope'
import type { App } from '../../app/app'
import { AppError } from '../../core/errors'
import { serveStatic } from './static'

export interface WebHostOptions {
  /** 0 picks a free port. */
  port: number
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string
  /** Fixed token (tests); by default a fresh random one per launch. */
  token?: string
}

export interface WebHost {
  readonly url: string
  readonly port: number
  readonly token: string
  /** Clients connected right now. */
  readonly clients: number
  close(): Promise<void>
}

/** Bytes a client may have queued before events to it are dropped (requests are always answered). */
const MAX_BUFFERED = 8 * 1024 * 1024
const HOST = '127.0.0.1'

/**
 * The browser host: HTTP serving the built renderer and a WebSocket serving the API contract, bound to
 * 127.0.0.1 only. A per-launch session token (in the URL's fragment, never sent in HTTP requests) must
 * accompany the WebSocket upgrade, and the Host and Origin headers must name this server, so another
 * local page or a DNS-rebinding site cannot drive the console.
 */
export async function startWebHost(app: App, opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  let port = opts.port
  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`])
  const csp = () =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'"
    ].join('; ')

  const server: Server = createServer((req, res) => {
    const headers = { 'content-security-policy': csp(), 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' }
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, headers).end('wrong host')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end('method not allowed')
      return
    }
    void serveStatic(opts.rendererDir, req.url ?? '/', res, headers)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const reason = rejectUpgrade(req, token, allowedHosts())
    if (reason) {
      socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\n\r\n${reason}\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  wss.on('connection', (ws: WebSocket) => serveClient(app, ws))

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new AppError('PORT_BUSY', `port ${opts.port} on ${HOST} is in use; pass --port 0 to take any free port`) : e)
    )
    server.listen(opts.port, HOST, () => resolve())
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://${HOST}:${port}/#token=${token}`,
    port,
    token,
    get clients() {
      return wss.clients.size
    },
    close: async () => {
      for (const c of wss.clients) c.close(1001, 'console shutting down')
      await new Promise<void>((r) => wss.close(() => r()))
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    }
  }
}

function rejectUpgrade(req: IncomingMessage, token: string, hosts: Set<string>): string | null {
  if (!hosts.has(req.headers.host ?? '')) return 'wrong host'
  const origin = req.headers.origin
  if (origin !== undefined && ![...hosts].some((h) => origin === `http://${h}`)) return 'origin not allowed'
  const url = new URL(req.url ?? '/', 'http://x')
  if (url.pathname !== '/api') return 'no such endpoint'
  const given = Buffer.from(url.searchParams.get('token') ?? '')
  const want = Buffer.from(token)
  if (given.length !== want.length || !timingSafeEqual(given, want)) return 'missing or wrong session token: open the URL the console printed'
  return null
}

function serveClient(app: App, ws: WebSocket): void {
  const send = (m: HostMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m))
  }
  const unsubscribe = app.events.subscribe((name, payload) => {
    if (ws.bufferedAmount > MAX_BUFFERED) return // a slow client misses events, never answers
    send({ t: 'evt', name, payload })
  })
  ws.on('close', unsubscribe)
  ws.on('error', unsubscribe)
  ws.on('message', (data, isBinary) => {
    let parsed: unknown
    try {
      parsed = isBinary ? undefined : JSON.parse(data.toString())
    } catch {
      parsed = undefined
    }
    const msg = ClientMessage.safeParse(parsed)
    if (!msg.success) {
      const id = typeof (parsed as { id?: unknown } | undefined)?.id === 'number' ? (parsed as { id: number }).id : -1
      send({ t: 'res', id, result: { ok: false, error: { code: 'BAD_REQUEST', message: 'malformed message: expected {t:"req", id, method, params} as JSON text' } } })
      return
    }
    const { id, method, params } = msg.data
    void app.router.call(method, params, { via: 'web' }).then((result) => send({ t: 'res', id, result }))
  })
}
