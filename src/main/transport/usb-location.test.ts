import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { usbLocation } from './usb-location'

/** A sysfs tree in a temp dir, laid out as Linux lays out a USB-serial adapter, a CDC-ACM board and a UART. */
function fakeSys(): string {
  const root = mkdtempSync(join(tmpdir(), 'diredi-sysfs-'))
  const link = (tty: string, device: string) => {
    mkdirSync(join(root, device), { recursive: true })
    mkdirSync(join(root, 'class', 'tty', tty), { recursive: true })
    symlinkSync(join(root, device), join(root, 'class', 'tty', tty, 'device'))
  }
  link('ttyUSB0', 'devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.4/1-1.4:1.0/ttyUSB0')
  link('ttyACM3', 'devices/pci0000:00/0000:00:14.0/usb3/3-2/3-2.1/3-2.1.7/3-2.1.7:1.2')
  link('ttyS0', 'devices/pnp0/00:00/00:00:0/00:00:0.0')
  return root
}

describe('usbLocation', () => {
  const root = fakeSys()
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('reads the bus and port chain of a USB tty from sysfs', () => {
    expect(usbLocation('/dev/ttyUSB0', root)).toBe('1-1.4')
    expect(usbLocation('/dev/ttyACM3', root)).toBe('3-2.1.7')
  })

  it('has none for a built-in UART, a pseudo-terminal or a tty sysfs does not know', () => {
    expect(usbLocation('/dev/ttyS0', root)).toBeUndefined()
    expect(usbLocation('/dev/pts/4', root)).toBeUndefined()
    expect(usbLocation('/dev/ttyUSB9', root)).toBeUndefined()
    expect(usbLocation('/dev/pts/0')).toBeUndefined() // the real /sys: ptys have no device link
  })
})
