import type { Handlers } from '../router'
import type { Services } from '../services'
import { exportDataset, importDataset } from '../../ml/data/import'

type RegistryMethods = 'datasets.list' | 'datasets.get' | 'datasets.import' | 'datasets.export' | 'datasets.verify' | 'datasets.remove' | 'models.list' | 'models.get' | 'artifacts.list'

/** The registry's part of the API: datasets, models and artifacts. */
export function registryHandlers(s: Services): Pick<Handlers, RegistryMethods> {
  const r = s.registry
  return {
    'datasets.list': () => r.datasets.list(),
    'datasets.get': (p) => r.datasets.get(p.ref),
    'datasets.import': (p) => importDataset(r, p),
    'datasets.export': (p) => exportDataset(r, p),
    'datasets.verify': async (p) => ({ record: await r.datasets.get(p.ref), ok: await r.datasets.verify(p.ref) }),
    'datasets.remove': (p) => r.datasets.remove(p.ref, { force: p.force }),
    'models.list': (p) => r.models.list(p.kind),
    'models.get': (p) => r.models.get(p.ref),
    'artifacts.list': (p) => r.artifacts.list(p.modelId)
  }
}
