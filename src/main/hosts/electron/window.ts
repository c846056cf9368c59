/** Content-Security-Policy of the Electron window: only the console's own scripts, no remote content. */
export const ELECTRON_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'"
].join('; ')

/** BrowserWindow options: the renderer gets no Node, runs sandboxed, and is isolated from the preload. */
export function windowOptions(preloadPath: string) {
  return {
    width: 1440,
    height: 900,
    minWidth: 1280,
    minHeight: 720,
    show: false,
    title: 'DiReDi console',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false
    }
  } as const
}

/** Navigation is allowed only within the console's own origin; everything else is refused. */
export function isNavigationAllowed(url: string, ownOrigins: string[]): boolean {
  try {
    const u = new URL(url)
    return ownOrigins.some((o) => (o === 'file://' ? u.protocol === 'file:' : u.origin === o))
  } catch {
    return false
  }
}
