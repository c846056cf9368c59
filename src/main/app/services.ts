import type { BoardDirectory } from '../fleet/directory'
import type { FleetService } from '../fleet/service'
import type { BoardService } from '../boards/service'
import type { JobService } from '../core/jobs'
import type { ExportService } from '../ml/export/service'
import type { MlService } from '../ml/service'
import type { DirediService } from '../diredi/service'
import type { FileRegistry } from '../store/registry'
import type { EventBus } from '../core/events'
import type { SystemService } from './system'

/** Every service of the console, built once by the composition root (app.ts). */
export interface Services {
  dataDir: string
  events: EventBus
  system: SystemService
  jobs: JobService
  directory: BoardDirectory
  /** Datasets, teachers, students and int8 artifacts on disk (see store/types.ts for the interface). */
  registry: FileRegistry
  /** Int8 artifacts (quantisation, measurements) and model files (ONNX, artifact). */
  exporter: ExportService
  /** Board sessions per port: handshake, flashing, inference, pairing (boards/service.ts). */
  boards: BoardService
  /** Identities bound to sessions, port discovery, rollouts by board id, serial monitor (fleet/service.ts). */
  fleet: FleetService
  /** Teachers, students, distillation and evaluation on the ml worker threads. */
  ml: MlService
  /** The DiReDi loop: scenarios, rounds, experiments, their reports, teacher versions. */
  diredi: DirediService
}
