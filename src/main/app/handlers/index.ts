import { fleetHandlers } from './fleet'
import { artifactHandlers } from './artifacts'
import { boardsHandlers } from './boards'
import { mlHandlers } from './ml'
import { direDiHandlers } from './diredi'
import { registryHandlers } from './registry'
import type { Handlers } from '../router'
import type { Services } from '../services'

/**
 * Binds every method of the contract to the service that answers it. The `Handlers` type makes a
 * method without a handler a compile error. Handlers only adapt: the logic lives in the services.
 */
export function buildHandlers(s: Services): Handlers {
  return {
    'system.status': () => s.system.status(),
    'system.ping': () => ({ pong: true as const, at: new Date().toISOString() }),
    'jobs.list': (p) => s.jobs.list(p.kind, p.limit),
    'jobs.get': (p) => s.jobs.get(p.id),
    'jobs.log': (p) => s.jobs.log(p.id),
    'jobs.series': (p) => s.jobs.series(p.id),
    'jobs.resume': (p) => s.jobs.resume(p.id),
    'jobs.cancel': (p) => s.jobs.cancel(p.id),
    ...fleetHandlers(s),
    ...artifactHandlers(s),
    ...registryHandlers(s),
    ...boardsHandlers(s),
    ...mlHandlers(s),
    ...direDiHandlers(s)
  }
}
