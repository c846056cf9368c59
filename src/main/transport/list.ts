import { SerialPort } from 'serialport'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { AppError } from '../core/errors'
import type { PortListing } from './types'
import { usbLocation } from './usb-location'

/** Whether an executable of this name is on PATH. */
export function onPath(name: string, path = process.env.PATH ?? ''): boolean {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      // not here
    }
  }
  return false
}

/**
 * The serial ports the OS knows. On Linux, node-serialport lists through `udevadm`; without it, its
 * spawn fails with an 'error' event nobody listens to and the process dies. Check first and say what to do.
 */
export async function listNativePorts(platform = process.platform, path = process.env.PATH): Promise<PortListing[]> {
  if (platform === 'linux' && !onPath('udevadm', path)) {
    throw new AppError('IO_ERROR', 'cannot list serial ports: `udevadm` is not installed; install the udev package (apt-get install -y udev), or give a port by its path', {
      missing: 'udevadm'
    })
  }
  const ports = await SerialPort.list()
  return ports.map((p: PortListing) => ({
    path: p.path,
    manufacturer: p.manufacturer,
    serialNumber: p.serialNumber,
    vendorId: p.vendorId,
    productId: p.productId,
    // node-serialport sets locationId on macOS and Windows; on Linux it comes from sysfs
    locationId: p.locationId ?? usbLocation(p.path),
    pnpId: p.pnpId
  }))
}
