import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../core/errors'
import { isEntryName } from './entry'

/**
 * Reading the entries of one kind's folder: each entry is a folder `<id>` holding a JSON file with its
 * record. The folder is read afresh on every call, so several consoles on one data directory agree.
 */
export async function readCatalog<T>(dir: string, file: string, pick: (json: unknown) => T, key: (t: T) => { id: string; createdAt: string }): Promise<T[]> {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  const out: T[] = []
  for (const id of names.filter(isEntryName)) {
    try {
      out.push(pick(JSON.parse(await fs.readFile(join(dir, id, file), 'utf8'))))
    } catch (e) {
      // An entry is renamed into place whole, so this is outside damage (a hand edit, a failing disk).
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') console.warn(`registry: skipping unreadable entry ${join(dir, id)}: ${(e as Error).message}`)
    }
  }
  return out.sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    return ka.createdAt.localeCompare(kb.createdAt) || ka.id.localeCompare(kb.id)
  })
}

interface Named {
  id: string
  name?: string
  aliases?: string[]
}

/** Whether a record answers to `name` (its name or one of its aliases). */
export const hasName = (r: Named, name: string): boolean => r.name === name || (r.aliases?.includes(name) ?? false)

/**
 * Finds one record by id or by name (or alias). `what` names the kind for messages ("dataset"), `hint` says how
 * to list them. Several records with one name (teacher and student both "x"): INVALID_INPUT asking for an id.
 */
export function pickByRef<T extends Named>(records: T[], ref: string, what: string, hint: string): T {
  const byId = records.find((r) => r.id === ref)
  if (byId) return byId
  const byName = records.filter((r) => hasName(r, ref))
  if (byName.length === 1) return byName[0]
  if (byName.length > 1) throw new AppError('INVALID_INPUT', `several ${what}s are named ${JSON.stringify(ref)} (${byName.map((r) => r.id).join(', ')}); give the id instead`)
  throw new AppError('NOT_FOUND', `no ${what} with id or name ${JSON.stringify(ref)}; ${hint}`)
}
