import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { BoardHistoryEntry, BoardRecord } from '../../shared/api/fleet-types'
import { AppError } from '../core/errors'
import { readJsonLines, readJsonRecords, writeJsonAtomic } from '../core/atomic'

const ID = /^[A-Za-z0-9._:-]{1,128}$/
const LABEL = /^[\p{L}\p{N} ._:/-]{1,64}$/u

/**
 * Every board the console has met, by the stable id it reports in HELLO, so a board keeps its name,
 * labels, group and history across re-plugging into another port. Records live under
 * <dataDir>/fleet/boards as <id>.json (written atomically) and <id>.history.jsonl (appended).
 */
export class BoardDirectory {
  private readonly dir: string
  private readonly boards = new Map<string, BoardRecord>()
  private loaded = false

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'fleet', 'boards')
  }

  async load(): Promise<void> {
    if (this.loaded) return
    this.loaded = true
    for (const b of await readJsonRecords<BoardRecord>(this.dir)) {
      b.online = false // nothing is online until a session says so
      this.boards.set(b.id, b)
    }
  }

  list(filter: { group?: string; label?: string } = {}): BoardRecord[] {
    return [...this.boards.values()]
      .filter((b) => (filter.group === undefined || b.group === filter.group) && (filter.label === undefined || b.labels.includes(filter.label)))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
  }

  get(id: string): BoardRecord {
    const b = this.boards.get(id)
    if (!b) throw new AppError('NOT_FOUND', `no board ${id} has been seen; connect it or list boards with \`diredi boards\``)
    return b
  }

  has(id: string): boolean {
    return this.boards.has(id)
  }

  /** A board answered HELLO on a port: create or update its record and note where it is. */
  async seen(id: string, port: string, facts: Pick<BoardRecord, 'boardClass' | 'firmware' | 'protocolVersion'> & { info?: Record<string, unknown> }): Promise<BoardRecord> {
    if (!ID.test(id)) throw new AppError('INVALID_INPUT', `board id ${JSON.stringify(id)} is not usable (1-128 letters, digits, . _ : -)`)
    const now = new Date().toISOString()
    const prev = this.boards.get(id)
    const b: BoardRecord = prev
      ? { ...prev, ...facts, info: facts.info ?? prev.info, port, online: true, lastSeen: now }
      : { id, name: id, labels: [], group: null, port, online: true, firstSeen: now, lastSeen: now, info: facts.info ?? {}, ...facts }
    this.boards.set(id, b)
    await this.save(b)
    if (!prev || prev.port !== port || !prev.online) await this.note(id, { kind: 'seen', message: prev ? (prev.port === port ? `back on ${port}` : `moved from ${prev.port ?? 'nowhere'} to ${port}`) : `first seen on ${port}` })
    return b
  }

  async lost(id: string, why: string): Promise<void> {
    const b = this.boards.get(id)
    if (!b || !b.online) return
    b.online = false
    b.lastSeen = new Date().toISOString()
    await this.save(b)
    await this.note(id, { kind: 'lost', message: why })
  }

  async label(id: string, patch: { name?: string; labels?: string[]; group?: string | null }): Promise<BoardRecord> {
    const b = this.get(id)
    if (patch.name !== undefined && !LABEL.test(patch.name)) throw new AppError('INVALID_INPUT', 'a board name is 1-64 letters, digits, spaces or . _ : / -')
    for (const l of patch.labels ?? []) if (!LABEL.test(l)) throw new AppError('INVALID_INPUT', `label ${JSON.stringify(l)}: use 1-64 letters, digits, spaces or . _ : / -`)
    if (patch.group != null && !LABEL.test(patch.group)) throw new AppError('INVALID_INPUT', `group ${JSON.stringify(patch.group)}: use 1-64 letters, digits, spaces or . _ : / -`)
    const next = { ...b, ...(patch.name !== undefined && { name: patch.name }), ...(patch.labels && { labels: [...new Set(patch.labels)] }), ...(patch.group !== undefined && { group: patch.group }) }
    this.boards.set(id, next)
    await this.save(next)
    await this.note(id, { kind: 'label', message: `name ${next.name}, group ${next.group ?? '—'}, labels [${next.labels.join(', ')}]` })
    return next
  }

  groups(): string[] {
    return [...new Set([...this.boards.values()].map((b) => b.group).filter((g): g is string => g !== null))].sort()
  }

  async note(id: string, e: Omit<BoardHistoryEntry, 'at'>): Promise<void> {
    const line: BoardHistoryEntry = { at: new Date().toISOString(), ...e }
    await fs.appendFile(join(this.dir, `${id}.history.jsonl`), JSON.stringify(line) + '\n')
  }

  async history(id: string, limit = 500): Promise<BoardHistoryEntry[]> {
    this.get(id)
    return (await readJsonLines<BoardHistoryEntry>(join(this.dir, `${id}.history.jsonl`))).slice(-limit)
  }

  private async save(b: BoardRecord): Promise<void> {
    await writeJsonAtomic(join(this.dir, `${b.id}.json`), b)
  }
}
