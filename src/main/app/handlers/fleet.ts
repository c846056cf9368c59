import type { Handlers } from '../router'
import type { Services } from '../services'

type FleetMethod =
  | 'fleet.boards' | 'fleet.board' | 'fleet.history' | 'fleet.label' | 'fleet.groups' | 'fleet.telemetry' | 'fleet.telemetryAll'
  | 'fleet.ports' | 'fleet.addPort' | 'fleet.removePort' | 'fleet.logs' | 'fleet.saveLog'
  | 'fleet.rollout' | 'fleet.rollouts' | 'fleet.rolloutGet'

export function fleetHandlers(s: Services): Pick<Handlers, FleetMethod> {
  return {
    'fleet.boards': (p) => s.directory.list(p),
    'fleet.board': (p) => s.directory.get(p.id),
    'fleet.history': (p) => s.directory.history(p.id, p.limit),
    'fleet.label': async (p) => {
      const b = await s.directory.label(p.id, p)
      s.events.emit('fleet.board', b)
      return b
    },
    'fleet.groups': () => s.directory.groups(),
    'fleet.telemetry': (p) => {
      s.directory.get(p.id) // a board never seen is NOT_FOUND, not zeros
      return s.fleet.telemetry.get(p.id)
    },
    'fleet.telemetryAll': () => s.fleet.telemetry.list(),
    'fleet.ports': () => s.fleet.discovery.list(),
    'fleet.addPort': (p) => s.fleet.discovery.add(p.path),
    'fleet.removePort': (p) => s.fleet.discovery.remove(p.path),
    'fleet.logs': (p) => s.fleet.monitor.query(p),
    'fleet.saveLog': ({ file, ...q }) => s.fleet.monitor.save(file, q),
    'fleet.rollout': async (p) => {
      const art = await s.fleet.resolveArtifact(p.artifactId)
      return s.fleet.rollouts.start({ artifactId: art.id, artifactHash: art.hash, group: p.group, boards: p.boards, concurrency: p.concurrency, waveSize: p.waveSize, abortAfter: p.abortAfter })
    },
    'fleet.rollouts': () => s.fleet.rollouts.list(),
    'fleet.rolloutGet': (p) => s.fleet.rollouts.get(p.id)
  }
}
