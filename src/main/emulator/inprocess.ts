import { nodeClock } from '../core/clock'
import { SerialOpener } from '../transport/serial'
import { VirtualBus, type VirtualDevice } from '../transport/virtual'
import type { PortOpener } from '../transport/types'
import type { Adapter } from './adapter'
import { VirtualBoard } from './board'
import { DEFAULT_BOARD, type BoardConfig } from './board-host'
import type { PrivateData } from './data'
import { NO_FAULTS, type FaultSpec } from './faults'
import type { ModelRuntime } from './runtime'
import type { LinkOptions } from '../../shared/wire/link'

export interface InProcessBoardOptions {
  /** The port path the console opens (default /virtual/vb-<n>). */
  path?: string
  config?: Partial<BoardConfig>
  faults?: Partial<FaultSpec>
  data?: PrivateData
  adapter?: Adapter
  link?: Partial<LinkOptions>
  /** This board's model runtime instead of the collection's (e.g. a faulty one for failure tests). */
  runtime?: ModelRuntime | null
}

export interface InProcessBoard {
  path: string
  board: VirtualBoard
  device: VirtualDevice
}

/**
 * Virtual boards in this process, each behind a port of a VirtualBus that the console opens through
 * node-serialport (`opener`), as it opens a USB board. For tests and benchmarks with hundreds of boards.
 */
export class InProcessBoards {
  readonly bus = new VirtualBus()
  readonly opener: PortOpener = new SerialOpener(this.bus.binding)
  readonly boards: InProcessBoard[] = []
  private readonly timers = new Set<NodeJS.Timeout>()
  private n = 0

  constructor(private readonly runtime: ModelRuntime | null) {}

  add(o: InProcessBoardOptions = {}): InProcessBoard {
    const i = this.n++
    const path = o.path ?? `/virtual/vb-${i}`
    const boardId = o.config?.boardId ?? `vb-${String(i).padStart(4, '0')}`
    const device = this.bus.create(path, { serialNumber: boardId })
    const faults = { ...NO_FAULTS, seed: 1000 + i, ...o.faults }
    const board = new VirtualBoard(
      { ...DEFAULT_BOARD, boardId, ...o.config },
      {
        clock: nodeClock,
        runtime: o.runtime === undefined ? this.runtime : o.runtime,
        data: o.data,
        adapter: o.adapter,
        faults,
        link: o.link,
        unplug: (ms) => {
          device.unplug()
          const t = setTimeout(() => {
            this.timers.delete(t)
            device.plug()
          }, ms)
          this.timers.add(t)
        }
      },
      (bytes) => device.write(bytes)
    )
    device.on('data', (b) => board.input(b))
    const entry = { path, board, device }
    this.boards.push(entry)
    return entry
  }

  /** Powers one board off and removes its port (it is unplugged for good). */
  async remove(path: string): Promise<void> {
    const i = this.boards.findIndex((b) => b.path === path)
    if (i < 0) return
    const [b] = this.boards.splice(i, 1)
    b.board.dispose()
    await b.device.close()
  }

  /** Powers every board off and removes their ports. */
  async dispose(): Promise<void> {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const b of this.boards.splice(0)) {
      b.board.dispose()
      await b.device.close()
    }
  }
}
