import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from './app'
import { AppError } from '../core/errors'
import { Router, type Handlers } from './router'

async function realApp() {
  return createApp({ dataDir: mkdtempSync(join(tmpdir(), 'diredi-router-')), host: 'cli' })
}

describe('Router', () => {
  it('answers a known method with an ok value', async () => {
    const app = await realApp()
    const r = await app.router.call('system.ping', {}, { via: 'test' })
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.value).toMatchObject({ pong: true })
    await app.dispose()
  })

  it('refuses an unknown method with UNKNOWN_METHOD', async () => {
    const app = await realApp()
    const r = await app.router.call('system.rm_rf', {}, { via: 'test' })
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    const r2 = await app.router.call(42, {}, { via: 'test' })
    expect(r2).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    await app.dispose()
  })

  it('refuses params that do not match the schema with BAD_REQUEST naming the field', async () => {
    const app = await realApp()
    const r = await app.router.call('jobs.get', { id: 7 }, { via: 'test' })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_REQUEST')
      expect(r.error.message).toMatch(/id/)
    }
    const extra = await app.router.call('system.status', { evil: true }, { via: 'test' })
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    const junk = await app.router.call('jobs.list', 'not an object', { via: 'test' })
    expect(junk).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    await app.dispose()
  })

  it('turns an AppError into its code and any other throw into INTERNAL, never throwing', async () => {
    const bugs: string[] = []
    const app = await realApp()
    const handlers = {
      ...Object.fromEntries(Object.keys(app.router).map((k) => [k, () => null])),
      'system.status': () => {
        throw new AppError('NOT_FOUND', 'nothing here; look elsewhere')
      },
      'system.ping': () => {
        throw new TypeError('boom')
      }
    } as unknown as Handlers
    const router = new Router(handlers, (m) => bugs.push(m))
    expect(await router.call('system.status', {}, { via: 'test' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'nothing here; look elsewhere' } })
    const r = await router.call('system.ping', {}, { via: 'test' })
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(bugs).toEqual(['system.ping'])
    await app.dispose()
  })

  it('answers SHUTTING_DOWN once the app is disposed', async () => {
    const app = await realApp()
    await app.dispose()
    expect(await app.router.call('system.ping', {}, { via: 'test' })).toMatchObject({ ok: false, error: { code: 'SHUTTING_DOWN' } })
  })
})
