import { AppError } from '../core/errors'

/**
 * Turns what node-serialport's bindings say when a port will not open into a coded error a person can act
 * on. The native binding reports errno text only ("No such file or directory, cannot open X",
 * "Resource temporarily unavailable Cannot lock port", "Inappropriate ioctl for device ...").
 */
export function openError(path: string, e: unknown): AppError {
  const m = e instanceof Error ? e.message : String(e)
  if (/no such file|ENOENT|not found/i.test(m)) {
    return new AppError('PORT_NOT_FOUND', `${path}: no such port; check the cable, or list ports with \`diredi boards\``, { cause: m })
  }
  if (/cannot lock|resource temporarily unavailable|EBUSY|busy/i.test(m)) {
    return new AppError('PORT_BUSY', `${path}: the port is in use by another program (or another diredi); close it there and try again`, { cause: m })
  }
  if (/permission denied|EACCES/i.test(m)) {
    return new AppError('IO_ERROR', `${path}: permission denied; add your user to the group that owns the port (often "dialout") and log in again`, { cause: m })
  }
  if (/inappropriate ioctl|ENOTTY/i.test(m)) {
    return new AppError('INVALID_INPUT', `${path}: is not a serial port (it does not take a baud rate); give the path of a tty`, { cause: m })
  }
  return new AppError('IO_ERROR', `${path}: cannot open: ${m}`, { cause: m })
}
