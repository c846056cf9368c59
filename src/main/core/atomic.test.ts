import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sweepTemporaries, writeFileAtomic, writeJsonAtomic } from './atomic'
import { sha256Hex as sha256 } from './hash'

const tmp = () => mkdtempSync(join(tmpdir(), 'diredi-atomic-'))

describe('writeFileAtomic', () => {
  it('writes the whole content and leaves no temporary file', async () => {
    const d = tmp()
    await writeFileAtomic(join(d, 'a.bin'), new Uint8Array([1, 2, 3]))
    await writeJsonAtomic(join(d, 'sub', 'b.json'), { x: 1 })
    expect([...readFileSync(join(d, 'a.bin'))]).toEqual([1, 2, 3])
    expect(JSON.parse(readFileSync(join(d, 'sub', 'b.json'), 'utf8'))).toEqual({ x: 1 })
    expect(readdirSync(d).sort()).toEqual(['a.bin', 'sub'])
  })

  it('replaces an existing file whole', async () => {
    const d = tmp()
    writeFileSync(join(d, 'f'), 'old')
    await writeFileAtomic(join(d, 'f'), 'new content')
    expect(readFileSync(join(d, 'f'), 'utf8')).toBe('new content')
  })

  it('fails cleanly when the target folder cannot be made, leaving nothing behind', async () => {
    const d = tmp()
    writeFileSync(join(d, 'file'), 'x')
    await expect(writeFileAtomic(join(d, 'file', 'inside'), 'y')).rejects.toThrow()
    expect(readdirSync(d)).toEqual(['file'])
  })

  it('sweeps temporaries a killed writer left', async () => {
    const d = tmp()
    writeFileSync(join(d, '.x.json.123.abc.tmp'), 'partial')
    writeFileSync(join(d, 'keep.json'), '{}')
    expect(await sweepTemporaries(d)).toBe(1)
    expect(readdirSync(d)).toEqual(['keep.json'])
  })

  it('hashes with SHA-256', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
