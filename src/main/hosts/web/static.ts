import { promises as fs } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json'
}

/** Serves one file of the built renderer; unknown paths get index.html (the UI routes itself). */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  let rel: string
  try {
    rel = normalize(decodeURIComponent(urlPath.split('?')[0])).replace(/^([/\\])+/, '')
  } catch {
    res.writeHead(400, headers).end('bad path')
    return
  }
  if (rel.split(sep).includes('..')) {
    res.writeHead(403, headers).end('forbidden')
    return
  }
  let file = join(root, rel || 'index.html')
  let body: Buffer
  try {
    body = await fs.readFile(file)
  } catch {
    file = join(root, 'index.html')
    try {
      body = await fs.readFile(file)
    } catch {
      res.writeHead(503, { ...headers, 'content-type': 'text/plain' }).end('The UI is not built: run `npm run build` and reload.')
      return
    }
  }
  res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' })
  res.end(body)
}
