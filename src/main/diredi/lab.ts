import type { InProcessBoard } from '../emulator/inprocess'
import { InProcessBoards } from '../emulator/inprocess'
import { int8Runtime } from '../emulator/int8-runtime'
import type { Adapter } from '../emulator/adapter'
import type { PrivateData } from '../emulator/data'
import type { BoardData, Partition } from './partition'

export const LAB_PREFIX = '/virtual/lab/'

/** A virtual board's model budget: flash per slot and activation RAM. */
const flashBytes = (b: BoardData) => Math.round((b.entry.flash_kb ?? 1024) * 1024)
const ramBytes = (b: BoardData) => Math.round((b.entry.ram_kb ?? 256) * 1024)

/**
 * The virtual boards of the DiReDi loop: one per scenario board, each holding its user's private data
 * (U_b, from the scenario's partition) in its own memory, behind a port the console opens through
 * node-serialport like a USB board (paths under /virtual/lab/<scenario>/). The app's port opener routes
 * those paths here, so discovery, the fleet view, rollouts and the serial monitor see these boards as
 * they see any other. A scenario's boards stay plugged in until the app closes or the scenario's data
 * changes, so rounds follow one another on the same fleet.
 */
export class VirtualLab {
  readonly bus: InProcessBoards
  private readonly scenarios = new Map<string, { key: string; boards: Map<string, InProcessBoard> }>()
  /** Sees every byte a lab board sends toward the console, as it goes on the wire (privacy tests listen here). */
  tap: ((boardId: string, bytes: Uint8Array) => void) | null = null

  constructor(private readonly adapter: Adapter) {
    this.bus = new InProcessBoards(int8Runtime)
  }

  get opener() {
    return this.bus.opener
  }

  /** Plugs in the scenario's boards (if they are not already, with the same data); board id -> port path. */
  async ensure(scenario: string, key: string, part: Partition, o: { gateways?: boolean } = {}): Promise<Map<string, string>> {
    const have = this.scenarios.get(scenario)
    if (have && have.key !== key) await this.unplug(scenario)
    let s = this.scenarios.get(scenario)
    if (!s) {
      s = { key, boards: new Map() }
      for (const b of part.boards) {
        const data: PrivateData = { inputShape: part.inputShape, classes: part.classes, train: b.train, test: b.test }
        const entry = this.bus.add({
          path: `${LAB_PREFIX}${scenario}/${b.id}`,
          config: {
            boardId: b.id,
            boardClass: o.gateways || b.entry.adapt === 'tutor' ? 'diredi-vb-gateway' : b.entry.adapt === 'head' ? 'diredi-vb-m4' : 'diredi-vb-m7',
            adaptation: o.gateways || b.entry.adapt === 'tutor' ? 'tutor' : b.entry.adapt === 'head' ? 'head' : 'all',
            // A gateway holds the teacher's artifact in its other slot for the tutor form.
            flashBytes: o.gateways ? Math.max(flashBytes(b), 2048 * 1024) : flashBytes(b),
            ramBytes: ramBytes(b),
            // A gateway's USB link is not a UART: its teacher copy and tutor delta move at USB full speed.
            ...(o.gateways || b.entry.adapt === 'tutor' ? { baud: 12_000_000 } : {})
          },
          data,
          adapter: this.adapter
        })
        const write = entry.device.write.bind(entry.device)
        entry.device.write = (bytes: Uint8Array) => {
          this.tap?.(b.id, bytes)
          write(bytes)
        }
        s.boards.set(b.id, entry)
      }
      this.scenarios.set(scenario, s)
    }
    return new Map([...s.boards.entries()].map(([id, e]) => [id, e.path]))
  }

  /** The board process of `boardId` in a scenario (tests reach into a board's memory through it). */
  board(scenario: string, boardId: string): InProcessBoard | undefined {
    return this.scenarios.get(scenario)?.boards.get(boardId)
  }

  async unplug(scenario: string): Promise<void> {
    const s = this.scenarios.get(scenario)
    if (!s) return
    this.scenarios.delete(scenario)
    for (const e of s.boards.values()) await this.bus.remove(e.path)
  }

  async dispose(): Promise<void> {
    this.scenarios.clear()
    await this.bus.dispose()
  }
}
