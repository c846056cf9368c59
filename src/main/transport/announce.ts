import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { writeJsonAtomic } from '../core/atomic'

/** One running `diredi emulate`: its process and the ports of its boards (`<dataDir>/emulators/<pid>.json`). */
export interface Announcement {
  pid: number
  startedAt: string
  boards: Array<{ boardId: string; port: string }>
}

export async function writeAnnouncement(dir: string, boards: Announcement['boards']): Promise<void> {
  await fs.mkdir(dir, { recursive: true })
  await writeJsonAtomic(join(dir, `${process.pid}.json`), { pid: process.pid, startedAt: new Date().toISOString(), boards } satisfies Announcement)
}

export async function removeAnnouncement(dir: string): Promise<void> {
  await fs.rm(join(dir, `${process.pid}.json`), { force: true })
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The ports every live `diredi emulate` announced; files of dead ones are removed. */
export async function readAnnouncements(dir: string): Promise<Announcement[]> {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return []
  }
  const out: Announcement[] = []
  for (const n of names.filter((x) => /^\d+\.json$/.test(x))) {
    try {
      const a = JSON.parse(await fs.readFile(join(dir, n), 'utf8')) as Announcement
      if (alive(a.pid)) out.push(a)
      else await fs.rm(join(dir, n), { force: true })
    } catch {
      // being written or removed: skip
    }
  }
  return out
}
