/**
 * The shapes of @serialport/bindings-interface 1.2 (the seam between node-serialport and the OS). That
 * package's `exports` map has no "types" entry for ESM, so TypeScript cannot see its declarations from
 * here; these mirror dist/index.d.ts of version 1.2.2 field for field. VirtualBus implements them.
 */
export interface OpenOptions {
  path: string
  baudRate: number
  dataBits?: 5 | 6 | 7 | 8
  lock?: boolean
  stopBits?: 1 | 1.5 | 2
  parity?: string
  rtscts?: boolean
  xon?: boolean
  xoff?: boolean
  xany?: boolean
  hupcl?: boolean
}

export interface PortInfo {
  path: string
  manufacturer: string | undefined
  serialNumber: string | undefined
  pnpId: string | undefined
  locationId: string | undefined
  productId: string | undefined
  vendorId: string | undefined
}

export interface PortStatus {
  cts: boolean
  dsr: boolean
  dcd: boolean
}

export interface BindingPortInterface {
  readonly openOptions: Required<OpenOptions>
  isOpen: boolean
  close(): Promise<void>
  /** Resolves with at least one byte; rejects with `canceled: true` when the port is closed, any other error meaning a disconnect. */
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>
  write(buffer: Buffer): Promise<void>
  update(options: { baudRate: number }): Promise<void>
  set(options: { brk?: boolean; cts?: boolean; dsr?: boolean; dtr?: boolean; rts?: boolean }): Promise<void>
  get(): Promise<PortStatus>
  getBaudRate(): Promise<{ baudRate: number }>
  flush(): Promise<void>
  drain(): Promise<void>
}

export interface BindingInterface {
  list(): Promise<PortInfo[]>
  open(options: OpenOptions): Promise<BindingPortInterface>
}
