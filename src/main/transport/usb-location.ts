import { realpathSync } from 'node:fs'
import { basename, join } from 'node:path'

/** A USB interface folder in sysfs: "<bus>-<port>[.<port>...]:<configuration>.<interface>", e.g. "1-1.4:1.0". */
const USB_INTERFACE = /^(\d+-\d+(?:\.\d+)*):\d+\.\d+$/

/**
 * Where a tty is plugged on the USB tree, as Linux names it: "<bus>-<port>[.<hub port>...]" (e.g. "1-1.4":
 * bus 1, root port 1, hub port 4), read from the /sys/class/tty/<name>/device link. The same physical
 * socket keeps its location whichever board is plugged into it. Undefined for a tty that is not on USB
 * (a pseudo-terminal, a built-in UART) or where sysfs is absent (not Linux).
 */
export function usbLocation(devPath: string, sysRoot = '/sys'): string | undefined {
  let real: string
  try {
    real = realpathSync(join(sysRoot, 'class', 'tty', basename(devPath), 'device'))
  } catch {
    return undefined
  }
  for (const seg of real.split('/').reverse()) {
    const m = USB_INTERFACE.exec(seg)
    if (m) return m[1]
  }
  return undefined
}
