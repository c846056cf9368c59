import { describe, expect, it } from 'vitest'
import { listNativePorts, onPath } from './list'

describe('listNativePorts', () => {
  it('says udevadm is missing instead of crashing when it is not on PATH', async () => {
    await expect(listNativePorts('linux', '/nonexistent')).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringMatching(/udevadm/) })
  })

  it('finds executables on PATH', () => {
    expect(onPath('sh', '/usr/bin:/bin')).toBe(true)
    expect(onPath('no-such-tool-here', '/usr/bin:/bin')).toBe(false)
  })

  it('lists through udevadm where it is installed (this machine and CI install udev)', async () => {
    const ports = await listNativePorts()
    expect(Array.isArray(ports)).toBe(true)
    for (const p of ports) expect(typeof p.path).toBe('string')
  })
})
