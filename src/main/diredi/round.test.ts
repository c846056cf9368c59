import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../app/app'
import type { RoundReport, RoundSummary } from '../../shared/api/diredi'
import type { BoardMessageName, MessageValue } from '../../shared/wire/messages'
import type { InProcessBoard } from '../emulator/inprocess'
import { privacyOf } from './round'

/**
 * A round whose knowledge fails validation changes nothing (docs/method.md §4): the console's key for a
 * board is replaced, so the board's signature no longer verifies; the round refuses the knowledge with
 * its reason, makes no teacher version and no candidate, and the boards keep their model.
 */
let dir: string
let app: App

const round = async (scenario = 'demo-tiny'): Promise<RoundReport> => {
  const job = await app.router.invoke('diredi.round', { scenario })
  const done = await app.services.jobs.wait(job.id)
  expect(done.state, JSON.stringify(done.error)).toBe('succeeded')
  return app.router.invoke('diredi.roundReport', { id: (done.result as { rounds: RoundSummary[] }).rounds[0].id })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'diredi-round-'))
  app = await createApp({ dataDir: dir, host: 'cli' })
}, 60_000)

afterAll(async () => {
  await app?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('a round with refused knowledge', () => {
  it('refuses a board whose signature does not verify and changes nothing', async () => {
    const first = await round()
    expect(first.inbox.every((i) => i.accepted)).toBe(true)
    const teachersBefore = (await app.router.invoke('diredi.teachers', {})).flatMap((l) => l.versions.map((v) => v.id))
    const studentsBefore = (await app.services.registry.models.list('student')).length
    const slots = async () => (await app.services.boards.session('/virtual/lab/demo-tiny/demo-1')).info?.slots

    // The console forgets both boards' real keys: whatever they sign now fails.
    for (const b of ['demo-1', 'demo-2']) await app.services.boards.keys.put(b, app.services.boards.keys.fresh())
    const runningBefore = await slots()
    const second = await round()
    expect(second.outcome).toBe('no-knowledge')
    expect(second.inbox.map((i) => [i.boardId, i.accepted, i.code])).toEqual([['demo-1', false, 'BAD_SIGNATURE'], ['demo-2', false, 'BAD_SIGNATURE']])
    for (const i of second.inbox) expect(i.reason).toMatch(/does not verify with board demo-\d's key/)
    expect(second.teacherAfter).toBeNull()
    expect(second.candidate).toBeNull()
    expect(second.qa).toBeNull()
    expect((await app.router.invoke('diredi.teachers', {})).flatMap((l) => l.versions.map((v) => v.id))).toEqual(teachersBefore)
    expect((await app.services.registry.models.list('student')).length).toBe(studentsBefore)
    expect(await slots()).toEqual(runningBefore)
    // The ledger still counts what the boards sent, and no raw sample.
    expect(second.ledger.totals.bytes).toBeGreaterThan(0)
    expect(second.ledger.totals.rawSamplesUploaded).toBe(0)
    // Listed as a round with its refusals.
    const listed = (await app.router.invoke('diredi.rounds', {})).find((r) => r.id === second.id)
    expect(listed).toMatchObject({ outcome: 'no-knowledge', accepted: 0, rejected: 2, qaPassed: null })
  }, 300_000)
})

describe("the boards' optional privacy step", () => {
  it('clips every delta to C on the board and reports the Gaussian mechanism', async () => {
    const demo = JSON.parse(readFileSync(join(process.cwd(), 'scenarios', 'demo-tiny.json'), 'utf8')) as { name: string; tuning: Record<string, number> }
    const file = join(dir, 'clipped.json')
    writeFileSync(file, JSON.stringify({ ...demo, name: 'demo-clipped', tuning: { ...demo.tuning, clip: 0.05, sigma: 0 } }))
    const r = await round(file)
    expect(r.inbox.filter((i) => i.accepted)).toHaveLength(2)
    for (const i of r.inbox) expect(i.deltaNorm as number).toBeLessThanOrEqual(0.05 * (1 + 1e-5))
    expect(r.privacy).toEqual({ clip: 0.05, sigma: 0, delta: 1e-5, epsilon: null })
  }, 300_000)

  it('states epsilon only where the Gaussian bound holds', () => {
    expect(privacyOf(0, 1)).toBeNull()
    expect(privacyOf(1, 0.5)?.epsilon).toBeNull()
    const p = privacyOf(1, 10)
    expect(p?.epsilon).toBeCloseTo(Math.sqrt(2 * Math.log(1.25 / 1e-5)) / 10, 10)
  })
})

describe('knowledge whose bytes do not match the ADAPT_DONE digest', () => {
  it('is refused in a round with DIGEST_MISMATCH, and nothing of it is applied', async () => {
    const demo = JSON.parse(readFileSync(join(process.cwd(), 'scenarios', 'demo-tiny.json'), 'utf8')) as { name: string }
    const file = join(dir, 'digest.json')
    writeFileSync(file, JSON.stringify({ ...demo, name: 'demo-digest' }))
    const first = await round(file)
    expect(first.inbox.every((i) => i.accepted)).toBe(true)
    const teachersBefore = (await app.router.invoke('diredi.teachers', {})).flatMap((l) => l.versions.map((v) => v.id))
    const studentsBefore = (await app.services.registry.models.list('student')).length
    const slots = async () => (await app.services.boards.session('/virtual/lab/demo-digest/demo-1')).info?.slots
    const runningBefore = await slots()

    // Each board now sends other bytes than those it announced in ADAPT_DONE: one bit of its first chunk
    // flips between the board's flash and its UART (the frame itself is well-formed).
    for (const id of ['demo-1', 'demo-2']) {
      const vb = (app.services.diredi.deps.lab.board('demo-digest', id) as InProcessBoard).board
      const send = vb.sendMsg.bind(vb)
      vb.sendMsg = ((name: BoardMessageName, value: never, version?: number) => {
        const v = value as MessageValue<'KNOWLEDGE_CHUNK'>
        if (name === 'KNOWLEDGE_CHUNK' && v.offset === 0) {
          const data = v.data.slice()
          data[data.length - 1] ^= 0x01
          return send(name, { ...v, data } as never, version)
        }
        return send(name, value, version)
      }) as typeof vb.sendMsg
    }
    const second = await round(file)
    expect(second.outcome).toBe('no-knowledge')
    expect(second.inbox.map((i) => [i.boardId, i.accepted, i.code])).toEqual([['demo-1', false, 'DIGEST_MISMATCH'], ['demo-2', false, 'DIGEST_MISMATCH']])
    for (const i of second.inbox) expect(i.reason).toMatch(/hash to [0-9a-f]{12}, the board announced [0-9a-f]{12}/)
    expect(second.boards.map((b) => b.knowledgeBytes)).toEqual([0, 0])
    expect(second.ledger.totals.knowledgeBytes).toBe(0)
    expect(second.teacherAfter).toBeNull()
    expect(second.candidate).toBeNull()
    expect((await app.router.invoke('diredi.teachers', {})).flatMap((l) => l.versions.map((v) => v.id))).toEqual(teachersBefore)
    expect((await app.services.registry.models.list('student')).length).toBe(studentsBefore)
    expect(await slots()).toEqual(runningBefore)
  }, 300_000)
})
