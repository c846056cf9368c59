import type { EventBus } from '../core/events'
import type { BoardService } from '../boards/service'
import type { Registry } from '../store/types'
import { AppError } from '../core/errors'
import type { BoardDirectory } from './directory'
import { DEFAULT_DISCOVERY, PortDiscovery, type DiscoveryOptions } from './discovery'
import { boardFlasher, DEFAULT_FLASHER, type BoardFlasherOptions } from './flasher'
import type { JobService } from '../core/jobs'
import { noteFlashJobs } from './job-history'
import { FleetLinks } from './links'
import { SerialMonitor } from './monitor'
import { RolloutService } from './rollouts'
import { DEFAULT_TELEMETRY, FleetTelemetry, type TelemetryOptions } from './telemetry'

export interface FleetOptions {
  /** Scan ports, open announced and added ports, and resume interrupted rollouts at start-up (long-running hosts). */
  autostart: boolean
  /** Ports to add at start-up (`diredi serve --port-path`), besides those added before. */
  portPaths: string[]
  discovery: Partial<DiscoveryOptions>
  flasher: Partial<BoardFlasherOptions>
  telemetry: Partial<TelemetryOptions>
}

/**
 * The fleet layer on top of the board link: identities bound to sessions (links), ports as an event stream
 * (discovery), rollouts by board id (flashing through each board's session), the serial monitor, and
 * per-board inference telemetry.
 */
export class FleetService {
  readonly links: FleetLinks
  readonly discovery: PortDiscovery
  readonly monitor: SerialMonitor
  readonly rollouts: RolloutService
  readonly telemetry: FleetTelemetry
  private started = false
  private readonly unnote: () => void

  constructor(
    dataDir: string,
    private readonly boards: BoardService,
    directory: BoardDirectory,
    jobs: JobService,
    events: EventBus,
    private readonly registry: Registry,
    private readonly o: Partial<FleetOptions> = {}
  ) {
    this.links = new FleetLinks(boards, directory, events)
    this.discovery = new PortDiscovery(dataDir, boards, events, { ...DEFAULT_DISCOVERY, ...o.discovery })
    this.monitor = new SerialMonitor(events)
    this.telemetry = new FleetTelemetry(dataDir, boards, events, { ...DEFAULT_TELEMETRY, ...o.telemetry })
    this.unnote = noteFlashJobs(events, directory, this.links)
    this.rollouts = new RolloutService(dataDir, jobs, directory, events, boardFlasher(boards, this.links, directory, { ...DEFAULT_FLASHER, ...o.flasher }))
  }

  async load(): Promise<void> {
    await this.discovery.load()
    await this.telemetry.load()
  }

  /** Starts discovery (ports given now are added) and resumes interrupted rollouts. Idempotent. */
  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    for (const p of this.o.portPaths ?? []) await this.discovery.add(p)
    await this.discovery.start()
    await this.rollouts.init()
  }

  /** The artifact a rollout of `ref` (an artifact id, or a model id: its newest artifact) flashes. */
  async resolveArtifact(ref: string): Promise<{ id: string; hash: string }> {
    const { name } = await this.boards.loadArtifact({ artifact: ref })
    const rec = await this.registry.artifacts.get(name).catch(() => null)
    if (!rec) throw new AppError('NOT_FOUND', `no artifact ${ref}; list them with \`diredi models\``)
    return { id: rec.id, hash: rec.hash }
  }

  async dispose(): Promise<void> {
    await this.discovery.dispose()
    await this.telemetry.dispose()
    this.unnote()
    this.links.dispose()
    this.monitor.dispose()
  }
}
