import { SerialPort } from 'serialport'
import type { BindingInterface } from './binding-types'
import { PortEvents } from './emitter'
import { openError } from './errors'
import { listNativePorts } from './list'
import type { BytePort, PortListener, PortListing, PortOpenOptions, PortOpener } from './types'

/** A port opened through node-serialport, with any binding (the native one, or the virtual bus). */
class SerialBytePort implements BytePort {
  private readonly events = new PortEvents()
  private ended = false

  constructor(private readonly sp: SerialPort) {
    sp.on('data', (b: Buffer) => this.events.emitData(b))
    // Errors also end in 'close' (node-serialport closes the port on a read or write failure).
    sp.on('error', () => undefined)
    sp.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (this.ended) return
      this.ended = true
      this.events.emitClose(err?.disconnected ? { kind: 'disconnected', message: err.message } : { kind: 'closed' })
    })
  }

  get path(): string {
    return this.sp.path
  }

  get isOpen(): boolean {
    return this.sp.isOpen && !this.ended
  }

  write(bytes: Uint8Array): void {
    if (!this.isOpen) return
    this.sp.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  }

  on<E extends keyof PortListener>(event: E, fn: PortListener[E]): void {
    this.events.on(event, fn)
  }

  off<E extends keyof PortListener>(event: E, fn: PortListener[E]): void {
    this.events.off(event, fn)
  }

  close(): Promise<void> {
    if (!this.sp.isOpen) {
      if (!this.ended) {
        this.ended = true
        this.events.emitClose({ kind: 'closed' })
      }
      return Promise.resolve()
    }
    return new Promise((resolve) => this.sp.close(() => resolve()))
  }
}

/**
 * Opens ports with node-serialport. Without a binding it uses the native one (USB boards, and the
 * pseudo-terminals of `diredi emulate`); tests pass the virtual bus's binding for in-process boards.
 */
export class SerialOpener implements PortOpener {
  private readonly binding: BindingInterface
  private readonly native: boolean

  constructor(binding?: BindingInterface) {
    // SerialPort.binding is node-serialport's native binding for this platform (bindings-cpp).
    this.binding = binding ?? (SerialPort.binding as unknown as BindingInterface)
    this.native = binding === undefined
  }

  async open(path: string, opts: PortOpenOptions): Promise<BytePort> {
    const sp = new SerialPort({ path, baudRate: opts.baudRate, autoOpen: false, lock: true, ...({ binding: this.binding } as object) })
    await new Promise<void>((resolve, reject) => sp.open((e) => (e ? reject(openError(path, e)) : resolve())))
    return new SerialBytePort(sp)
  }

  async list(): Promise<PortListing[]> {
    if (this.native) return listNativePorts()
    return (await this.binding.list()).map((p: PortListing) => ({ ...p }))
  }
}
