import type { BytePort, PortListing, PortOpenOptions, PortOpener } from './types'

/**
 * Several kinds of ports behind one opener: paths under a route's prefix go to that route's opener
 * (e.g. `/virtual/lab/` to the boards the DiReDi loop emulates in this process), all others to the
 * fallback (the native serial ports). Listing merges them, so discovery, the fleet and the UI see
 * virtual boards exactly as they see USB ones.
 */
export class CompositeOpener implements PortOpener {
  constructor(
    private readonly routes: Array<{ prefix: string; opener: PortOpener }>,
    private readonly fallback: PortOpener
  ) {}

  private route(path: string): PortOpener {
    return this.routes.find((r) => path.startsWith(r.prefix))?.opener ?? this.fallback
  }

  open(path: string, opts: PortOpenOptions): Promise<BytePort> {
    return this.route(path).open(path, opts)
  }

  async list(): Promise<PortListing[]> {
    const all = await Promise.all([this.fallback.list(), ...this.routes.map((r) => r.opener.list())])
    const seen = new Set<string>()
    const out: PortListing[] = []
    all.forEach((ports, i) => {
      for (const p of ports) {
        // A route owns its prefix: the fallback's listing of such a path (a bus shared with tests) is not its own.
        const owner = i === 0 ? this.route(p.path) === this.fallback : p.path.startsWith(this.routes[i - 1].prefix)
        if (owner && !seen.has(p.path)) {
          seen.add(p.path)
          out.push(p)
        }
      }
    })
    return out
  }
}
