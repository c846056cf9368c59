import { afterEach, describe, expect, it } from 'vitest'
import { SerialOpener } from './serial'
import type { BytePort, CloseReason } from './types'
import { VirtualBus } from './virtual'

const next = (port: BytePort) => new Promise<Uint8Array>((resolve) => port.on('data', resolve))
const closed = (port: BytePort) => new Promise<CloseReason>((resolve) => port.on('close', resolve))

describe('VirtualBus through node-serialport', () => {
  const bus = new VirtualBus()
  const opener = new SerialOpener(bus.binding)
  const open: BytePort[] = []
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close()
    expect(bus.openByHost).toBe(0)
  })

  it('carries bytes both ways and lists the port', async () => {
    const dev = bus.create('/virtual/a', { serialNumber: 'vb-1' })
    const host = await opener.open('/virtual/a', { baudRate: 921600 })
    open.push(host)
    expect(host.isOpen).toBe(true)
    expect(dev.hostOpen).toBe(true)
    const atDev = next(dev)
    host.write(Uint8Array.of(1, 2, 3))
    expect([...(await atDev)]).toEqual([1, 2, 3])
    const atHost = next(host)
    dev.write(Uint8Array.of(9, 8))
    expect([...(await atHost)]).toEqual([9, 8])
    expect((await opener.list()).map((p) => [p.path, p.serialNumber])).toEqual([['/virtual/a', 'vb-1']])
    await dev.close()
  })

  it('reports an unplug as a disconnect, refuses to open until plugged back', async () => {
    const dev = bus.create('/virtual/b')
    const host = await opener.open('/virtual/b', { baudRate: 921600 })
    const gone = closed(host)
    dev.unplug()
    expect(await gone).toMatchObject({ kind: 'disconnected' })
    expect(host.isOpen).toBe(false)
    await expect(opener.open('/virtual/b', { baudRate: 921600 })).rejects.toMatchObject({ code: 'PORT_NOT_FOUND' })
    expect(await opener.list()).toEqual([])
    dev.plug()
    const again = await opener.open('/virtual/b', { baudRate: 921600 })
    open.push(again)
    const atHost = next(again)
    dev.write(Uint8Array.of(7))
    expect([...(await atHost)]).toEqual([7])
    await dev.close()
  })

  it('refuses a second opener of the same port, and a port that does not exist', async () => {
    const dev = bus.create('/virtual/c')
    const host = await opener.open('/virtual/c', { baudRate: 921600 })
    open.push(host)
    await expect(opener.open('/virtual/c', { baudRate: 921600 })).rejects.toMatchObject({ code: 'PORT_BUSY' })
    await expect(opener.open('/virtual/none', { baudRate: 921600 })).rejects.toMatchObject({ code: 'PORT_NOT_FOUND' })
    const c = closed(host)
    await host.close()
    expect(await c).toEqual({ kind: 'closed' })
    await dev.close()
  })

  it('drops what the board sends while nobody has the port open', async () => {
    const dev = bus.create('/virtual/d')
    dev.write(Uint8Array.of(1))
    const host = await opener.open('/virtual/d', { baudRate: 921600 })
    open.push(host)
    const got = next(host)
    dev.write(Uint8Array.of(2))
    expect([...(await got)]).toEqual([2])
    await dev.close()
  })
})
