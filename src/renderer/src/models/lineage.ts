/**
 * Lineage read from the records' `lineage` fields, for display: which teacher versions descend from one
 * another (`parentId`), and the chain dataset → teacher → student → artifact a record sits in.
 */
import type { ArtifactRecord, ModelRecord } from '../../../shared/model/records'

const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)

export { newestFirst }

/**
 * The first version of the line a model belongs to: parentId followed while the parent is known and of
 * the same kind. Content-addressed ids make cycles impossible in a sound registry; should a damaged one
 * hold one, every member gets the same root (the smallest id of the cycle).
 */
export function rootOf(m: ModelRecord, byId: Record<string, ModelRecord>): ModelRecord {
  const path: ModelRecord[] = [m]
  for (;;) {
    const cur = path[path.length - 1]
    const p = cur.lineage.parentId ? byId[cur.lineage.parentId] : undefined
    if (!p || p.kind !== m.kind) return cur
    const at = path.findIndex((x) => x.id === p.id)
    if (at >= 0) return path.slice(at).reduce((a, b) => (b.id < a.id ? b : a))
    path.push(p)
  }
}

export interface VersionLine {
  root: ModelRecord
  /** Every version of the line, newest first (the first is the current one). */
  versions: ModelRecord[]
}

/** Models grouped into version lines, the line with the newest version first. */
export function versionLines(models: ModelRecord[]): VersionLine[] {
  const byId = Object.fromEntries(models.map((m) => [m.id, m]))
  const lines = new Map<string, VersionLine>()
  for (const m of models) {
    const root = rootOf(m, byId)
    const line = lines.get(root.id) ?? { root, versions: [] }
    line.versions.push(m)
    lines.set(root.id, line)
  }
  for (const l of lines.values()) l.versions.sort(newestFirst)
  return [...lines.values()].sort((a, b) => newestFirst(a.versions[0], b.versions[0]))
}

export type TrailStep =
  | { kind: 'dataset'; id: string }
  | { kind: 'teacher' | 'student'; id: string; known: boolean }
  | { kind: 'artifact'; id: string }

/**
 * The chain a model sits in, upstream to downstream: its dataset, its teacher (for a student), its
 * parent version, itself, then its artifacts (newest first).
 */
export function trailOf(m: ModelRecord, byId: Record<string, ModelRecord>, artifacts: ArtifactRecord[]): TrailStep[] {
  const steps: TrailStep[] = []
  if (m.lineage.datasetId) steps.push({ kind: 'dataset', id: m.lineage.datasetId })
  if (m.lineage.teacherId) steps.push({ kind: 'teacher', id: m.lineage.teacherId, known: m.lineage.teacherId in byId })
  if (m.lineage.parentId) steps.push({ kind: byId[m.lineage.parentId]?.kind ?? m.kind, id: m.lineage.parentId, known: m.lineage.parentId in byId })
  steps.push({ kind: m.kind, id: m.id, known: true })
  for (const a of artifacts.filter((x) => x.modelId === m.id).sort(newestFirst)) steps.push({ kind: 'artifact', id: a.id })
  return steps
}
