import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fsErrorToApp } from './errors'

/**
 * Writes a file so that readers see either the old content or the whole new content, never a torn
 * one, even if the process is killed or the machine loses power: write a temporary file in the same
 * folder, fsync it, rename it over the target, fsync the folder. On failure the temporary file is
 * removed and the target is untouched; a full disk becomes a DISK_FULL error.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path)
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await fs.mkdir(dir, { recursive: true })
    const fh = await fs.open(tmp, 'wx', 0o644)
    try {
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await fs.rename(tmp, path)
    await fsyncDir(dir)
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined)
    throw fsErrorToApp(e, `writing ${path}`) ?? e
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n')
}

/** fsync a folder so that a rename inside it is durable. Some file systems refuse; that is not an error. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined
  try {
    fh = await fs.open(dir, 'r')
    await fh.sync()
  } catch {
    // EISDIR/EINVAL on platforms that cannot fsync a folder
  } finally {
    await fh?.close()
  }
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await fs.readFile(path, 'utf8')) as T
}

/** Removes temporary files a killed writer left behind in a folder (names written by writeFileAtomic). */
export async function sweepTemporaries(dir: string): Promise<number> {
  let n = 0
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return 0
  }
  for (const name of names) {
    if (name.startsWith('.') && name.endsWith('.tmp')) {
      await fs.rm(join(dir, name), { force: true, recursive: true })
      n++
    }
  }
  return n
}

/**
 * Reads every `<name>.json` record in a folder (created if missing), after sweeping temporaries a killed
 * writer left. An unreadable record is reported through `onBad` and skipped, never fatal.
 */
export async function readJsonRecords<T>(dir: string, onBad: (file: string, e: Error) => void = (f, e) => console.warn(`skipping unreadable record ${f}: ${e.message}`)): Promise<T[]> {
  await fs.mkdir(dir, { recursive: true })
  await sweepTemporaries(dir)
  const out: T[] = []
  for (const name of await fs.readdir(dir)) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue
    try {
      out.push(await readJson<T>(join(dir, name)))
    } catch (e) {
      onBad(name, e as Error)
    }
  }
  return out
}

/** Reads a JSON-lines file; a missing file is empty, and a line torn by a killed process is skipped. */
export async function readJsonLines<T>(path: string): Promise<T[]> {
  let text: string
  try {
    text = await fs.readFile(path, 'utf8')
  } catch {
    return []
  }
  const out: T[] = []
  for (const l of text.split('\n')) {
    if (!l) continue
    try {
      out.push(JSON.parse(l) as T)
    } catch {
      // torn line: the rest is still good
    }
  }
  return out
}
