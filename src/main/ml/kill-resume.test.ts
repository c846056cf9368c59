import { afterAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { JobInfo } from '../../shared/api/jobs'
import type { ModelSpec } from '../../shared/model/spec'
import { packageRoot } from '../core/entries'
import { openRegistry } from '../store/registry'
import { mlpSpec } from './bench/kd-step'
import { initWeights } from './model/init'
import { CHECKPOINT_FILE, loadCheckpoint } from './train/checkpoint'

/**
 * A distillation run by the real `diredi` command in a child process, killed with SIGKILL in the middle
 * of an epoch (no chance to clean up), then resumed by a second `diredi` process: it continues from
 * the last epoch's checkpoint and finishes every epoch.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'diredi-kill-'))
const children: ChildProcess[] = []
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')))

function diredi(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const loader = pathToFileURL(join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  const child = spawn(process.execPath, ['--import', loader, join(packageRoot, 'src/main/cli/main.ts'), '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (d) => (out += String(d)))
  child.stderr?.on('data', (d) => (err += String(d)))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, out: () => out, err: () => err, exited }
}

async function until<T>(what: string, f: () => T | null | undefined, ms = 90_000): Promise<T> {
  const t0 = Date.now()
  for (;;) {
    const v = f()
    if (v) return v
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('a killed distillation job', () => {
  it('resumes in a new process from its checkpoint and finishes', async () => {
    const reg = await openRegistry(dataDir)
    await reg.datasets.get('mnist')
    const spec: ModelSpec = { ...mlpSpec([784, 16, 10]), inputShape: [28, 28, 1], layers: [{ type: 'flatten' }, ...mlpSpec([784, 16, 10]).layers] }
    await reg.models.put('teacher', { spec, weights: initWeights(spec, 1) }, { name: 'tiny-teacher', lineage: {} })
    const args = ['distill', '--teacher', 'tiny-teacher', '--dataset', 'mnist', '--budget-kb', '8', '--family', 'dense', '--epochs', '4', '--batch-size', '16', '--patience', '0']

    const first = diredi(args)
    const jobId = await until('the job id', () => /job (distill-\S+):/.exec(first.err())?.[1])
    const workDir = join(dataDir, 'jobs', jobId)
    // The first epoch's checkpoint exists: the job is now inside its second epoch (or later).
    await until('the first checkpoint', () => existsSync(join(workDir, CHECKPOINT_FILE)))
    await new Promise((r) => setTimeout(r, 200))
    first.child.kill('SIGKILL')
    expect(await first.exited).toBeNull()
    const ck = await loadCheckpoint(workDir)
    const at = ck!.state.position.epoch
    expect(at).toBeGreaterThanOrEqual(1)
    expect(at).toBeLessThan(4)
    const killed = JSON.parse(readFileSync(join(dataDir, 'jobs', `${jobId}.json`), 'utf8')) as JobInfo
    expect(killed.state).toBe('running')

    const second = diredi(['--json', 'distill', '--resume', jobId])
    expect(await second.exited, second.err() + second.out()).toBe(0)
    const result = JSON.parse(second.out().trim().split('\n').pop()!) as { jobId: string; epochs: number; model: { id: string }; testAccuracy: number }
    expect(result.jobId).toBe(jobId)
    expect(result.epochs).toBe(4)
    const log = readFileSync(join(dataDir, 'jobs', `${jobId}.log`), 'utf8')
    expect(log).toContain(`resuming at epoch ${at + 1}, step 0`)
    const done = JSON.parse(readFileSync(join(dataDir, 'jobs', `${jobId}.json`), 'utf8')) as JobInfo
    expect(done.state).toBe('succeeded')
    expect((await reg.models.get(result.model.id)).lineage.jobId).toBe(jobId)
  })
})
