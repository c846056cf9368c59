import type { BindingInterface, BindingPortInterface, OpenOptions, PortInfo, PortStatus } from './binding-types'
import { PortEvents } from './emitter'
import type { BytePort, PortListener } from './types'

interface Wire {
  path: string
  info: Partial<PortInfo>
  plugged: boolean
  host: VirtualPortBinding | null
  device: VirtualDevice
}

const canceled = (m: string) => Object.assign(new Error(m), { canceled: true as const })

/**
 * Serial ports that exist only in this process: the console opens them through node-serialport (with
 * `bus.binding`), exactly as it opens a USB board, and a virtual board holds the device end of each.
 * Hundreds fit in one process for tests and benchmarks. A device can be unplugged (the console's reads
 * fail as on a real disconnect, and opening fails until it is plugged back).
 */
export class VirtualBus {
  private readonly wires = new Map<string, Wire>()
  readonly binding: BindingInterface

  constructor() {
    const wires = this.wires
    this.binding = {
      async list(): Promise<PortInfo[]> {
        return [...wires.values()]
          .filter((w) => w.plugged)
          .map((w) => ({ path: w.path, manufacturer: 'DiReDi virtual', serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: 'b0a2', vendorId: 'd1ed', ...w.info }))
      },
      async open(options: OpenOptions): Promise<BindingPortInterface> {
        const w = wires.get(options.path)
        if (!w || !w.plugged) throw new Error(`Error: No such file or directory, cannot open ${options.path}`)
        if (w.host?.isOpen && options.lock !== false) throw new Error('Error Resource temporarily unavailable Cannot lock port')
        const port = new VirtualPortBinding(w, options)
        w.host = port
        return port
      }
    }
  }

  /** Makes a port at `path` and returns its device end (for a virtual board). */
  create(path: string, info: Partial<PortInfo> = {}): VirtualDevice {
    if (this.wires.has(path)) throw new Error(`virtual port ${path} exists already`)
    const w = { path, info, plugged: true, host: null } as unknown as Wire
    w.device = new VirtualDevice(w, () => this.wires.delete(path))
    this.wires.set(path, w)
    return w.device
  }

  get size(): number {
    return this.wires.size
  }

  /** Ports the console has open now (for leak checks). */
  get openByHost(): number {
    return [...this.wires.values()].filter((w) => w.host?.isOpen).length
  }
}

/** The board's end of a virtual port. */
export class VirtualDevice implements BytePort {
  private readonly events = new PortEvents()
  private destroyed = false

  constructor(
    private readonly wire: Wire,
    private readonly remove: () => void
  ) {}

  get path(): string {
    return this.wire.path
  }

  get isOpen(): boolean {
    return !this.destroyed
  }

  get plugged(): boolean {
    return this.wire.plugged
  }

  /** Whether the console has the port open. */
  get hostOpen(): boolean {
    return this.wire.host?.isOpen ?? false
  }

  /** Bytes to the console (dropped while unplugged or while nobody has the port open, as on a real line). */
  write(bytes: Uint8Array): void {
    if (this.destroyed || !this.wire.plugged) return
    this.wire.host?.push(bytes)
  }

  /** Called by the host binding with the console's bytes. */
  deliver(bytes: Uint8Array): void {
    if (!this.destroyed && this.wire.plugged) this.events.emitData(bytes)
  }

  on<E extends keyof PortListener>(event: E, fn: PortListener[E]): void {
    this.events.on(event, fn)
  }

  off<E extends keyof PortListener>(event: E, fn: PortListener[E]): void {
    this.events.off(event, fn)
  }

  /** Pulls the cable: the console's port fails as disconnected and cannot be opened until `plug()`. */
  unplug(): void {
    if (!this.wire.plugged) return
    this.wire.plugged = false
    this.wire.host?.disconnect()
    this.wire.host = null
  }

  plug(): void {
    this.wire.plugged = true
  }

  /** Removes the port from the bus (the console sees a disconnect). */
  close(): Promise<void> {
    if (!this.destroyed) {
      this.unplug()
      this.destroyed = true
      this.remove()
      this.events.emitClose({ kind: 'closed' })
    }
    return Promise.resolve()
  }
}

/** The console's end, as node-serialport's binding interface wants it. */
class VirtualPortBinding implements BindingPortInterface {
  readonly openOptions: Required<OpenOptions>
  isOpen = true
  private readonly inbox: Uint8Array[] = []
  private pending: { buffer: Buffer; offset: number; length: number; resolve(r: { buffer: Buffer; bytesRead: number }): void; reject(e: Error): void } | null = null
  private gone: Error | null = null

  constructor(
    private readonly wire: Wire,
    options: OpenOptions
  ) {
    this.openOptions = {
      dataBits: 8, lock: true, stopBits: 1, parity: 'none', rtscts: false, xon: false, xoff: false, xany: false, hupcl: true, ...options
    } as Required<OpenOptions>
  }

  push(bytes: Uint8Array): void {
    if (!this.isOpen || this.gone) return
    this.inbox.push(bytes.slice())
    this.serve()
  }

  /** The cable is gone: reads fail with a plain error, which node-serialport reports as a disconnect. */
  disconnect(): void {
    this.gone = new Error(`${this.wire.path}: device unplugged`)
    const p = this.pending
    this.pending = null
    p?.reject(this.gone)
  }

  private serve(): void {
    const p = this.pending
    if (!p || !this.inbox.length) return
    this.pending = null
    let n = 0
    while (this.inbox.length && n < p.length) {
      const head = this.inbox[0]
      const take = Math.min(head.length, p.length - n)
      p.buffer.set(head.subarray(0, take), p.offset + n)
      n += take
      if (take === head.length) this.inbox.shift()
      else this.inbox[0] = head.subarray(take)
    }
    p.resolve({ buffer: p.buffer, bytesRead: n })
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.isOpen) return Promise.reject(canceled('Port is not open'))
    if (this.gone) return Promise.reject(this.gone)
    return new Promise((resolve, reject) => {
      this.pending = { buffer, offset, length, resolve, reject }
      this.serve()
    })
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw canceled('Port is not open')
    if (this.gone) throw this.gone
    const copy = Uint8Array.from(buffer)
    setImmediate(() => this.wire.device.deliver(copy))
  }

  async close(): Promise<void> {
    if (!this.isOpen) return
    this.isOpen = false
    if (this.wire.host === this) this.wire.host = null
    const p = this.pending
    this.pending = null
    p?.reject(canceled('Port is closed'))
  }

  async update(): Promise<void> {}
  async set(): Promise<void> {}
  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: true }
  }
  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate }
  }
  async flush(): Promise<void> {
    this.inbox.length = 0
  }
  async drain(): Promise<void> {}
}
