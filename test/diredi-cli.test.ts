import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ExperimentReport, RoundReport, TeacherLine } from '../src/shared/api/diredi'
import { diredi } from './helpers/cli'

const dir = mkdtempSync(join(tmpdir(), 'diredi-loop-cli-'))
const run = (args: string[]) => diredi(['--data-dir', dir, ...args])
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('diredi round / experiment / teachers (the DiReDi loop from the command line)', () => {
  let first: RoundReport

  it('runs a round on the shipped demo scenario over the board link, with inbox, ledger and QA', () => {
    const r = run(['--json', 'round', '--scenario', 'demo-tiny'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { rounds: RoundReport[] }
    first = out.rounds[0]
    expect(first.boards.map((b) => b.boardId)).toEqual(['demo-1', 'demo-2'])
    expect(first.inbox.filter((i) => i.accepted).length).toBe(2)
    expect(first.ledger.totals.rawSamplesUploaded).toBe(0)
    expect(first.ledger.totals.knowledgeBytes).toBeGreaterThan(0)
    expect(first.qa?.checks.map((c) => c.id)).toEqual(['student_vp', 'teacher_vp', 'boards', 'int8_agreement'])
    expect(['rolled-out', 'qa-failed']).toContain(first.outcome)
    expect(first.teacherAfter).not.toBe(first.teacherBefore)
    for (const b of first.boards) expect(b.accBefore).toBeGreaterThan(0)
  }, 300_000)

  it('keeps every teacher version with its lineage, and restores an earlier one', () => {
    const r = run(['--json', 'teachers'])
    expect(r.code, r.stderr).toBe(0)
    const line = (JSON.parse(r.stdout) as { lines: TeacherLine[] }).lines.find((l) => l.versions.some((v) => v.id === first.teacherAfter)) as TeacherLine
    const v1 = line.versions.find((v) => v.id === first.teacherAfter)
    expect(v1?.parentId).toBe(first.teacherBefore)
    expect(v1?.knowledge).toEqual([`${first.id}/demo-1`, `${first.id}/demo-2`])
    expect(line.currentId).toBe(first.teacherAfter)
    const back = run(['--json', 'teachers', '--restore', first.teacherBefore])
    expect(back.code, back.stderr).toBe(0)
    expect((JSON.parse(back.stdout) as { lines: TeacherLine[] }).lines[0].currentId).toBe(first.teacherBefore)
    // The next round starts from the restored version.
    const again = run(['--json', 'round', '--scenario', 'demo-tiny'])
    expect(again.code, again.stderr).toBe(0)
    expect((JSON.parse(again.stdout) as { rounds: RoundReport[] }).rounds[0].teacherBefore).toBe(first.teacherBefore)
  }, 300_000)

  it('runs the baseline table and writes its JSON and chart', () => {
    const out = join(dir, 'out')
    const r = run(['--json', 'experiment', '--scenario', 'demo-tiny', '--methods', 'local,oracle,diredi', '--out', out])
    expect(r.code, r.stderr).toBe(0)
    const e = JSON.parse(r.stdout) as ExperimentReport
    expect(e.table.map((x) => x.method)).toEqual(['none', 'local', 'oracle', 'diredi'])
    for (const row of e.table) {
      for (const f of ['acc_user', 'acc_presumed', 'max_class_drop', 'raw_samples_uploaded', 'knowledge_bytes', 'seconds'] as const) expect(Number.isFinite(row[f]), `${row.method}.${f}`).toBe(true)
    }
    expect(e.table.find((x) => x.method === 'diredi')?.raw_samples_uploaded).toBe(0)
    expect(e.table.find((x) => x.method === 'oracle')?.raw_samples_uploaded).toBe(240)
    expect(existsSync(join(out, 'demo-tiny.experiment.json'))).toBe(true)
    expect(readFileSync(join(out, 'demo-tiny.experiment.svg'), 'utf8')).toMatch(/^<svg[\s\S]*diredi[\s\S]*<\/svg>$/)
    // Human output: one row per method and the yardstick.
    expect(e.yardstick.gainOracle).toBeCloseTo(e.table[2].acc_user - e.table[0].acc_user, 6)
  }, 300_000)

  it('refuses an invalid scenario naming the field and the reason', () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ name: 'bad', dataset: 'mnist', presumed: { fraction: 0.5 }, boards: [{ id: 'x', samples: 10, test_samples: 5, prior: { classes: [1, 2], weights: [1] } }] }))
    const r = run(['round', '--scenario', bad])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/boards\.0\.prior\.weights: weights must have one entry per class/)
    const missing = run(['round', '--scenario', 'no-such-scenario'])
    expect(missing.stderr).toMatch(/no scenario named "no-such-scenario"; known: .*demo-tiny/)
  })
})
