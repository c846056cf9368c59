import type { BoardService } from '../boards/service'
import type { JobService } from '../fleet/jobs'
import type { FileRegistry } from '../store/registry'
import type { EventBus } from './events'
import type { SystemService } from './system'

/** Every service of the console, built once by the composition root (app.ts). */
export interface Services {
  dataDir: string
  events: EventBus
  system: SystemService
  jobs: JobService
  /** Datasets, teachers, students and int8 artifacts on disk (see store/types.ts for the interface). */
  registry: FileRegistry
  /** Board sessions per port: handshake, flashing, inference, pairing (boards/service.ts). */
  boards: BoardService
}
