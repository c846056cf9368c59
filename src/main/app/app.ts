import { promises as fs } from 'node:fs'
import type { SystemStatus } from '../../shared/api/system'
import { BoardDirectory } from '../fleet/directory'
import type { PortOpener } from '../transport/types'
import { BoardService } from '../boards/service'
import { JobService } from '../core/jobs'
import { FleetService, type FleetOptions } from '../fleet/service'
import { ExportService } from '../ml/export/service'
import { MlService } from '../ml/service'
import { DirediService } from '../diredi/service'
import { MlBoardAdapter } from '../emulator/board-adapter'
import { LAB_PREFIX, VirtualLab } from '../diredi/lab'
import { CompositeOpener } from '../transport/composite'
import { SerialOpener } from '../transport/serial'
import { openRegistry } from '../store/registry'
import { EventBus } from '../core/events'
import { buildHandlers } from './handlers/index'
import { Router } from './router'
import type { Services } from './services'
import { SystemService } from './system'

export interface AppOptions {
  dataDir: string
  host: SystemStatus['host']
  /** How board ports are opened (default: the native serial binding); tests pass an in-process bus. */
  portOpener?: PortOpener
  /**
   * The fleet layer. `autostart` (default: every host but the CLI) scans ports, opens announced and added
   * ports and resumes interrupted rollouts at start-up; one-shot CLI commands leave that alone so they
   * never pick up (and then cancel) a rollout a console is running.
   */
  fleet?: Partial<FleetOptions>
}

export interface App {
  readonly router: Router
  readonly events: EventBus
  readonly services: Services
  /** Stops everything in reverse order of creation: jobs, ports, workers, then flushes files. Idempotent. */
  dispose(): Promise<void>
}

/**
 * The composition root: builds every service exactly once, wires them to the router and the event
 * bus, and owns shut-down. Hosts (web, Electron) and the CLI all start here.
 */
export async function createApp(opts: AppOptions): Promise<App> {
  await fs.mkdir(opts.dataDir, { recursive: true })
  const events = new EventBus()
  const system = new SystemService(opts.dataDir, opts.host)
  const jobs = new JobService(opts.dataDir, events)
  await jobs.load()
  const directory = new BoardDirectory(opts.dataDir)
  await directory.load()
  const registry = await openRegistry(opts.dataDir, { onChange: (c) => events.emit('registry.changed', c) })

  const exporter = new ExportService(registry)
  const ml = new MlService(registry, jobs)
  // Virtual boards of the DiReDi loop live behind /virtual/lab/ ports; every other path is a real port.
  const lab = new VirtualLab(new MlBoardAdapter(ml.pool))
  const opener = new CompositeOpener([{ prefix: LAB_PREFIX, opener: lab.opener }], opts.portOpener ?? new SerialOpener())
  const boards = new BoardService({ dataDir: opts.dataDir, events, jobs, registry, opener })

  const fleet = new FleetService(opts.dataDir, boards, directory, jobs, events, registry, opts.fleet)
  await fleet.load()

  const diredi = new DirediService({ dataDir: opts.dataDir, registry, ml, jobs, boards, fleet, lab, directory })

  const services: Services = { dataDir: opts.dataDir, events, system, jobs, directory, registry, exporter, boards, fleet, ml, diredi }
  const router = new Router(buildHandlers(services))

  // Disposal in reverse order of construction: jobs stop first (a rollout's plan is saved, training
  // saves its checkpoint), then discovery
  // stops reopening ports, then the sessions close (their boards are marked offline), then the ml workers
  // end, then events.
  const disposers: Array<() => Promise<void> | void> = [
    () => events.dispose(),
    () => ml.dispose(),
    () => fleet.links.flushed(),
    () => diredi.dispose(),
    () => boards.dispose(),
    () => fleet.dispose(),
    () => jobs.dispose(),
    () => exporter.dispose()
  ]
  if (opts.fleet?.autostart ?? opts.host !== 'cli') {
    try {
      await fleet.start()
    } catch (e) {
      for (const d of [...disposers].reverse()) await Promise.resolve(d()).catch(() => undefined)
      throw e
    }
  }
  let disposing: Promise<void> | null = null
  return {
    router,
    events,
    services,
    dispose() {
      disposing ??= (async () => {
        router.close()
        for (const d of disposers.reverse()) {
          try {
            await d()
          } catch (e) {
            console.error('error during shut-down:', e)
          }
        }
      })()
      return disposing
    }
  }
}
