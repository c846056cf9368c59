import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { TeacherLine } from '../../shared/api/diredi'
import { AppError } from '../core/errors'
import { writeJsonAtomic } from '../core/atomic'
import type { ModelRecord, Registry } from '../store/types'

/**
 * Teacher versions (docs/method.md §5: every update is a new teacher). A teacher made from another names
 * it as `lineage.parentId` and the knowledge it took in `lineage.knowledge`; the root of that chain names
 * the line. Which version of a line is current (the one the next round starts from) is kept in
 * <dataDir>/diredi/teachers.json; by default the newest. Restoring an earlier version only moves that
 * pointer: no version is ever deleted or changed.
 */
export class TeacherLines {
  private readonly file: string

  constructor(
    dataDir: string,
    private readonly registry: Registry
  ) {
    this.file = join(dataDir, 'diredi', 'teachers.json')
  }

  async lines(): Promise<TeacherLine[]> {
    const teachers = await this.registry.models.list('teacher')
    const byId = new Map(teachers.map((t) => [t.id, t]))
    const rootOf = (t: ModelRecord): string => {
      const seen = new Set<string>()
      let cur = t
      while (cur.lineage.parentId && byId.has(cur.lineage.parentId) && !seen.has(cur.id)) {
        seen.add(cur.id)
        cur = byId.get(cur.lineage.parentId) as ModelRecord
      }
      return cur.id
    }
    const groups = new Map<string, ModelRecord[]>()
    for (const t of teachers) {
      const r = rootOf(t)
      groups.set(r, [...(groups.get(r) ?? []), t])
    }
    const pointers = await this.pointers()
    return [...groups.entries()]
      .map(([line, vs]) => {
        vs.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        const currentId = pointers[line] && vs.some((v) => v.id === pointers[line]) ? pointers[line] : vs[vs.length - 1].id
        return {
          line,
          currentId,
          versions: vs.map((v) => ({
            id: v.id, name: v.name, createdAt: v.createdAt, parentId: v.lineage.parentId ?? null, knowledge: v.lineage.knowledge ?? [],
            testAcc: typeof v.metrics.testAcc === 'number' ? v.metrics.testAcc : null, current: v.id === currentId
          }))
        }
      })
      .sort((a, b) => b.versions[b.versions.length - 1].createdAt.localeCompare(a.versions[a.versions.length - 1].createdAt))
  }

  /** The line a teacher (by id or name) belongs to. */
  async lineOf(ref: string): Promise<TeacherLine> {
    const rec = await this.registry.models.get(ref)
    if (rec.kind !== 'teacher') throw new AppError('INVALID_INPUT', `${ref} is a ${rec.kind}, not a teacher; give a teacher's id (diredi.teachers lists them)`)
    const line = (await this.lines()).find((l) => l.versions.some((v) => v.id === rec.id))
    if (!line) throw new AppError('NOT_FOUND', `teacher ${ref} belongs to no line`)
    return line
  }

  /** The current version of the line `ref` belongs to. */
  async current(ref: string): Promise<string> {
    return (await this.lineOf(ref)).currentId
  }

  /** Makes `ref` the current version of its line (a new version made by a round does this too). */
  async setCurrent(ref: string): Promise<TeacherLine> {
    const line = await this.lineOf(ref)
    const id = (await this.registry.models.get(ref)).id
    const p = await this.pointers()
    p[line.line] = id
    await fs.mkdir(join(this.file, '..'), { recursive: true })
    await writeJsonAtomic(this.file, p)
    return this.lineOf(id)
  }

  private async pointers(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await fs.readFile(this.file, 'utf8')) as Record<string, string>
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw new AppError('IO_ERROR', `${this.file} is unreadable (${(e as Error).message}); delete it to fall back to the newest version of every teacher line`)
    }
  }
}
