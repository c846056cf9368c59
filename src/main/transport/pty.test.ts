import { mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startPtyPair } from './pty'
import { SerialOpener } from './serial'
import type { BytePort } from './types'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('socat pseudo-terminal pairs opened with the native binding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diredi-pty-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const opener = new SerialOpener()

  it('moves bytes end to end, survives reopening, and leaves nothing behind', async () => {
    const pair = await startPtyPair(join(dir, 'b0'), join(dir, 'c0'))
    const ports: BytePort[] = []
    try {
      expect(pair.devices[0]).toMatch(/^\/dev\/pts\//)
      const board = await opener.open(pair.boardPath, { baudRate: 921600 })
      ports.push(board)
      const host = await opener.open(pair.consolePath, { baudRate: 921600 })
      ports.push(host)
      const got: number[] = []
      const all = new Promise<void>((resolve) => board.on('data', (b) => (got.push(...b), got.length >= 5000 && resolve())))
      host.write(Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff))
      await all
      expect(got.every((x, i) => x === (i & 0xff))).toBe(true)
      await expect(opener.open(pair.consolePath, { baudRate: 921600 })).rejects.toMatchObject({ code: 'PORT_BUSY' })
      await host.close()
      const again = await opener.open(pair.consolePath, { baudRate: 921600 })
      ports.push(again)
      const back = new Promise<Uint8Array>((resolve) => again.on('data', resolve))
      board.write(Uint8Array.of(42))
      expect([...(await back)]).toEqual([42])
    } finally {
      for (const p of ports) await p.close()
      await pair.stop()
    }
    expect(alive(pair.pid)).toBe(false)
    expect(existsSync(pair.consolePath)).toBe(false)
    expect(existsSync(pair.boardPath)).toBe(false)
  })

  it('maps open failures to codes a person can act on', async () => {
    await expect(opener.open(join(dir, 'missing'), { baudRate: 921600 })).rejects.toMatchObject({ code: 'PORT_NOT_FOUND' })
    const file = join(dir, 'plain-file')
    writeFileSync(file, 'x')
    await expect(opener.open(file, { baudRate: 921600 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
