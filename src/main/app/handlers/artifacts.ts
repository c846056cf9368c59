import type { Handlers } from '../router'
import type { Services } from '../services'

/** The artifact and export methods of the contract (src/shared/api/artifacts.ts). */
export function artifactHandlers(s: Services): Pick<Handlers, 'artifacts.build' | 'artifacts.get' | 'artifacts.inspect' | 'models.export'> {
  return {
    'artifacts.build': (p) => s.exporter.buildArtifact(p),
    'artifacts.get': (p) => s.exporter.getArtifact(p.ref),
    'artifacts.inspect': (p) => s.exporter.inspect(p),
    'models.export': (p) => s.exporter.exportModel(p)
  }
}
