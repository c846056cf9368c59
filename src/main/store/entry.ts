import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { fsErrorToApp } from '../core/errors'
import { fsyncDir } from '../core/atomic'
import { type FileBody, type StoreIo, writeBody } from './io'

/**
 * Multi-file registry entries, written so that an entry exists whole or not at all:
 * the files are written into a temporary folder `.<id>.<pid>.<random>.tmp` next to the final one, each
 * fsynced, the folder fsynced, then renamed to `<id>` and the parent fsynced. A killed writer leaves
 * only a temporary folder, which `sweepTemporaries` removes at the next start (listing never shows
 * names that start with a dot). Removal renames the entry to a temporary name first, so a killed
 * removal also leaves only a temporary.
 */

const TMP_RE = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/

export function tempName(id: string): string {
  return `.${id}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
}

/** True for names of finished entries (temporaries and other dot files are not entries). */
export const isEntryName = (name: string): boolean => !name.startsWith('.')

export type WriteOutcome = 'created' | 'exists'

/**
 * Writes the entry `<dir>/<id>` from `files` (name -> content). Resolves 'exists' when an entry with
 * this id is already there (content addressing: it holds the same content) and leaves it untouched.
 * On any failure nothing is left behind and the error is coded (DISK_FULL for ENOSPC).
 */
export async function writeEntry(io: StoreIo, dir: string, id: string, files: Array<[string, FileBody | string]>): Promise<WriteOutcome> {
  const final = join(dir, id)
  const tmp = join(dir, tempName(id))
  try {
    await fs.mkdir(dir, { recursive: true })
    if (await exists(final)) return 'exists'
    await fs.mkdir(tmp)
    for (const [name, body] of files) await writeBody(io, join(tmp, name), body)
    await fsyncDir(tmp)
    try {
      await fs.rename(tmp, final)
    } catch (e) {
      // Another writer (another process) finished the same content first: keep theirs.
      const code = (e as NodeJS.ErrnoException).code
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await exists(final))) {
        await fs.rm(tmp, { recursive: true, force: true })
        return 'exists'
      }
      throw e
    }
    await fsyncDir(dir)
    return 'created'
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined)
    throw fsErrorToApp(e, `writing registry entry ${id}`) ?? e
  }
}

/** Removes `<dir>/<id>`: renamed away atomically first, then deleted. Resolves false if it did not exist. */
export async function removeEntry(dir: string, id: string): Promise<boolean> {
  const tmp = join(dir, tempName(id))
  try {
    await fs.rename(join(dir, id), tmp)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw fsErrorToApp(e, `removing registry entry ${id}`) ?? e
  }
  await fsyncDir(dir)
  await fs.rm(tmp, { recursive: true, force: true })
  return true
}

/**
 * Deletes the temporaries that writers which are no longer running left in `dir` (a killed put or
 * removal). Temporaries of live processes (another console on the same data directory) are kept.
 * Returns how many were removed.
 */
export async function sweepTemporaries(dir: string): Promise<number> {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return 0
  }
  let n = 0
  for (const name of names) {
    const m = TMP_RE.exec(name)
    if (!m) continue
    const pid = Number(m[2])
    if (pid === process.pid || isAlive(pid)) continue
    await fs.rm(join(dir, name), { recursive: true, force: true })
    n++
  }
  return n
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path)
    return true
  } catch {
    return false
  }
}
