/** Why a port stopped: closed by us, or gone (unplugged, the pseudo-terminal's other end vanished). */
export type CloseReason = { kind: 'closed' } | { kind: 'disconnected'; message: string }

export type PortListener = {
  data: (bytes: Uint8Array) => void
  close: (reason: CloseReason) => void
}

/**
 * An open byte port: what the board layer and the emulator see of a serial port. Bytes out are queued in
 * order; bytes in arrive as they come (any split); `close` fires once, for any reason.
 */
export interface BytePort {
  readonly path: string
  readonly isOpen: boolean
  write(bytes: Uint8Array): void
  on<E extends keyof PortListener>(event: E, fn: PortListener[E]): void
  off<E extends keyof PortListener>(event: E, fn: PortListener[E]): void
  /** Closes the port; resolves when the OS handle is released. Idempotent. */
  close(): Promise<void>
}

export interface PortOpenOptions {
  /** Line rate in baud (8N1: one byte is 10 bits on the line). */
  baudRate: number
}

/** What discovery knows of a port (from the OS, or from the virtual bus). */
export interface PortListing {
  path: string
  manufacturer?: string
  serialNumber?: string
  vendorId?: string
  productId?: string
  locationId?: string
  pnpId?: string
}

/** Opens and lists ports of one kind: native serial devices, or virtual ones in this process. */
export interface PortOpener {
  open(path: string, opts: PortOpenOptions): Promise<BytePort>
  list(): Promise<PortListing[]>
}
