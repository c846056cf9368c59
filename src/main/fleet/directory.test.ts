import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BoardDirectory } from './directory'

const facts = { boardClass: 'mcu-m4', firmware: '1.2.0', protocolVersion: 1 }

describe('board directory', () => {
  it('keeps a board by its id across ports and restarts: name, labels, group, history', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'diredi-dir-'))
    const d = new BoardDirectory(dataDir)
    await d.load()
    await d.seen('B-0001', '/dev/pts/3', facts)
    await d.label('B-0001', { name: 'bench left', labels: ['lab', 'lab'], group: 'canary' })
    await d.lost('B-0001', 'port closed')
    await d.seen('B-0001', '/dev/pts/9', { ...facts, firmware: '1.3.0' })

    const again = new BoardDirectory(dataDir)
    await again.load()
    const b = again.get('B-0001')
    expect(b).toMatchObject({ name: 'bench left', labels: ['lab'], group: 'canary', port: '/dev/pts/9', firmware: '1.3.0', online: false })
    const h = (await again.history('B-0001')).map((e) => `${e.kind}: ${e.message}`)
    expect(h).toEqual(['seen: first seen on /dev/pts/3', 'label: name bench left, group canary, labels [lab]', 'lost: port closed', 'seen: moved from /dev/pts/3 to /dev/pts/9'])
    expect(again.groups()).toEqual(['canary'])
    expect(again.list({ group: 'canary' }).map((x) => x.id)).toEqual(['B-0001'])
  })

  it('refuses bad ids, names and labels with a reason, and unknown boards as NOT_FOUND', async () => {
    const d = new BoardDirectory(mkdtempSync(join(tmpdir(), 'diredi-dir-')))
    await d.load()
    await expect(d.seen('bad id with spaces', '/dev/x', facts)).rejects.toThrow(/not usable/)
    await d.seen('B2', '/dev/x', facts)
    await expect(d.label('B2', { labels: ['<script>'] })).rejects.toThrow(/label "<script>"/)
    expect(() => d.get('nope')).toThrow(/no board nope has been seen/)
  })
})
