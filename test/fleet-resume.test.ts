import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import type { RolloutView } from '../src/shared/api/fleet'
import type { RolloutPlan } from '../src/shared/api/fleet-types'
import type { App } from '../src/main/app/app'
import { InProcessBoards } from '../src/main/emulator/inprocess'
import { int8Runtime } from '../src/main/emulator/int8-runtime'
import { waitFor } from '../src/main/emulator/testing'
import { tempDir } from '../src/main/store/testing/fixtures'
import { call, openConsole, RESUME_BAUD, RESUME_BOARDS } from './helpers/fleet'

/**
 * A console SIGKILLed mid-rollout (a child process) and a new one started on the same data directory:
 * the new console reopens the ports the user had added, resumes the rollout at start-up and flashes only
 * the boards left. The boards here are fresh ones on the same ports (the killed process took its virtual
 * boards with it), so a board the first console finished must stay empty: it was not flashed again.
 */
describe('rollout resume after a killed console', () => {
  const tmp = tempDir('diredi-fleet-resume-')
  let boards: InProcessBoards | null = null
  let app: App | null = null
  afterAll(async () => {
    await app?.dispose()
    if (boards) expect(boards.bus.openByHost).toBe(0)
    await boards?.dispose()
    tmp.remove()
  })

  it('resumes with only the boards left', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'helpers', 'fleet-child.ts'), tmp.dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += String(d)))
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve)
      child.once('exit', (code) => reject(new Error(`the child console exited (${code}) early: ${stderr}`)))
    })
    const { jobId, hash, paths } = JSON.parse(first) as { jobId: string; hash: string; paths: string[] }
    const planFile = join(tmp.dir, 'fleet', 'rollouts', `${jobId}.json`)
    const plan = () => (existsSync(planFile) ? (JSON.parse(readFileSync(planFile, 'utf8')) as RolloutPlan) : null)
    await waitFor(() => (plan()?.boards.filter((b) => b.state === 'succeeded').length ?? 0) >= 6, 'six boards flashed by the first console')
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    const before = plan() as RolloutPlan
    const doneBefore = new Set(before.boards.filter((b) => b.state === 'succeeded').map((b) => b.boardId))
    expect(doneBefore.size).toBeGreaterThanOrEqual(6)
    expect(doneBefore.size).toBeLessThan(RESUME_BOARDS)

    boards = new InProcessBoards(int8Runtime)
    for (const path of paths) boards.add({ path, config: { baud: RESUME_BAUD, pace: true } })
    const t0 = performance.now()
    app = await openConsole(tmp.dir, boards) // resumes at start-up: nobody calls anything
    expect(['queued', 'running']).toContain(app.services.jobs.get(jobId).state)
    const job = await app.services.jobs.wait(jobId)
    const ms = performance.now() - t0
    expect(job.state).toBe('succeeded')
    const { plan: after, summary } = await call<RolloutView>(app, 'fleet.rolloutGet', { id: jobId })
    expect(after.state).toBe('succeeded')
    expect(summary).toMatchObject({ total: RESUME_BOARDS, succeeded: RESUME_BOARDS, failed: 0 })
    expect((await app.services.jobs.log(jobId)).map((l) => l.message)).toContain(`resuming: ${RESUME_BOARDS - doneBefore.size} boards left`)
    for (const b of boards.boards) {
      const id = b.board.cfg.boardId
      const slots = b.board.flash.slots
      const holds = [slots.a, slots.b].some((s) => s.state === 'confirmed' && Buffer.from(s.hash).toString('hex') === hash)
      expect([id, holds]).toEqual([id, !doneBefore.has(id)])
    }
    console.log(`resume: ${doneBefore.size} boards done before SIGKILL, ${RESUME_BOARDS - doneBefore.size} after restart in ${Math.round(ms)} ms`)
  }, 120_000)
})
