import { describe, expect, it } from 'vitest'
import { makeSenderCheck } from './ipc'
import { ELECTRON_CSP, isNavigationAllowed, windowOptions } from './window'

describe('Electron window hardening', () => {
  it('isolates the renderer: context isolation, sandbox, no Node', () => {
    const w = windowOptions('/x/preload.cjs').webPreferences
    expect(w).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true })
  })

  it('has a strict CSP: own scripts only, no eval, no remote connections', () => {
    expect(ELECTRON_CSP).toContain("script-src 'self'")
    expect(ELECTRON_CSP).not.toContain('unsafe-eval')
    expect(ELECTRON_CSP).toContain("connect-src 'self'")
    expect(ELECTRON_CSP).toContain("object-src 'none'")
  })

  it('blocks navigation away from the console', () => {
    expect(isNavigationAllowed('file:///opt/app/out/renderer/index.html', ['file://'])).toBe(true)
    expect(isNavigationAllowed('https://example.com/', ['file://'])).toBe(false)
    expect(isNavigationAllowed('http://localhost:5173/#/fleet', ['http://localhost:5173'])).toBe(true)
    expect(isNavigationAllowed('http://localhost:5174/', ['http://localhost:5173'])).toBe(false)
    expect(isNavigationAllowed('not a url', ['file://'])).toBe(false)
  })

  it('trusts IPC only from the console page', () => {
    const trusted = makeSenderCheck(['file://'])
    expect(trusted({ senderFrame: { url: 'file:///opt/app/index.html' }, sender: { id: 1 } })).toBe(true)
    expect(trusted({ senderFrame: { url: 'https://evil.example/' }, sender: { id: 1 } })).toBe(false)
    expect(trusted({ senderFrame: null, sender: { id: 1 } })).toBe(false)
  })
})
