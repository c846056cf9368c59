import { afterAll, describe, expect, it } from 'vitest'
import type { FleetPort, FleetPortEvent } from '../src/shared/api/fleet-types'
import { waitFor } from '../src/main/emulator/testing'
import { tempDir } from '../src/main/store/testing/fixtures'
import { call, fleetBench } from './helpers/fleet'

/**
 * Discovery carries where a port is plugged (its USB location and plug-and-play id, as the OS lists
 * them) into the port records and events. The OS end here is a virtual bus listed through node-serialport's
 * binding interface, as a USB hub is; the sysfs reading itself is tested in transport/usb-location.test.ts.
 */
describe('port discovery: USB location', () => {
  const tmp = tempDir('diredi-fleet-disc-')
  const cleanup: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c()
    tmp.remove()
  })

  it('lists a USB port with its location, pnp id, vendor and product, and follows a move to another socket', async () => {
    const { boards, app } = await fleetBench(tmp.dir, 1)
    cleanup.push(() => boards.dispose(), () => app.dispose())
    const events: FleetPortEvent[] = []
    app.events.subscribe((n, p) => n === 'fleet.port' && events.push(p as FleetPortEvent))
    const usb = boards.bus.create('/dev/ttyACM7', { locationId: '1-1.4', pnpId: 'usb-DiReDi_Board_0042-if00', vendorId: 'd1ed', productId: 'b0a2', manufacturer: 'DiReDi' })
    cleanup.push(async () => usb.unplug())
    await app.services.fleet.discovery.scan()
    const ports = await call<FleetPort[]>(app, 'fleet.ports', {})
    expect(ports.find((p) => p.path === '/dev/ttyACM7')).toMatchObject({
      source: 'os', status: 'listed', location: '1-1.4', pnpId: 'usb-DiReDi_Board_0042-if00', vendorId: 'd1ed', productId: 'b0a2', manufacturer: 'DiReDi'
    })
    expect(events.find((e) => e.change === 'added' && e.port.path === '/dev/ttyACM7')?.port.location).toBe('1-1.4')
    // a port with no USB location (a virtual board's) has no location key at all
    expect(ports.find((p) => p.path === boards.boards[0].path)).not.toHaveProperty('location')

    // the same adapter re-plugged into hub port 2 comes back as a new port with the new location
    usb.unplug()
    await app.services.fleet.discovery.scan()
    expect(events.at(-1)).toMatchObject({ change: 'removed', port: { path: '/dev/ttyACM7' } })
    const moved = boards.bus.create('/dev/ttyACM7b', { locationId: '1-1.2', pnpId: 'usb-DiReDi_Board_0042-if00' })
    cleanup.push(async () => moved.unplug())
    await app.services.fleet.discovery.scan()
    await waitFor(() => app.services.fleet.discovery.list().some((p) => p.path === '/dev/ttyACM7b'), 'the re-plugged port')
    expect(app.services.fleet.discovery.get('/dev/ttyACM7b')).toMatchObject({ location: '1-1.2', pnpId: 'usb-DiReDi_Board_0042-if00' })
  })
})
