import type { Handlers } from '../app/router'
import type { Services } from '../app/services'

export function fleetHandlers(s: Services): Pick<Handlers, 'fleet.boards' | 'fleet.board' | 'fleet.history' | 'fleet.label' | 'fleet.groups'> {
  return {
    'fleet.boards': (p) => s.directory.list(p),
    'fleet.board': (p) => s.directory.get(p.id),
    'fleet.history': (p) => s.directory.history(p.id, p.limit),
    'fleet.label': async (p) => {
      const b = await s.directory.label(p.id, p)
      s.events.emit('fleet.board', b)
      return b
    },
    'fleet.groups': () => s.directory.groups()
  }
}
