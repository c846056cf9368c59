import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lagMeter } from '../src/main/ml/bench/lag'
import { measureKdStep } from '../src/main/ml/bench/kd-step'
import { MlPool } from '../src/main/ml/worker/pool'
import type { Report } from './run'

const TEACHER = [784, 1200, 1200, 10]
const STUDENT = [784, 800, 800, 10]
const BATCH = 128
const here = dirname(fileURLToPath(import.meta.url))

/** The PyTorch figure for the identical step (bench/torch_kd_step.py), or why there is none. */
function torchFigure(seconds: number): Record<string, unknown> {
  for (const py of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' })
    if (probe.status !== 0) continue
    const r = spawnSync(py, [join(here, 'torch_kd_step.py'), '--threads', '2', '--seconds', String(seconds), '--batch', String(BATCH)], { encoding: 'utf8', timeout: 120_000 })
    if (r.status !== 0) return { torch: null, torchNote: `torch_kd_step.py failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}` }
    const t = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { samplesPerSecond: number; gflops: number; threads: number; torch: string }
    return { torch: { samplesPerSecond: t.samplesPerSecond, gflops: t.gflops, threads: t.threads, version: t.torch, python: py } }
  }
  return { torch: null, torchNote: 'skipped: no python3 here imports torch (apt-get install -y python3-torch libopenblas0-pthread)' }
}

/**
 * kd.step: one distillation step at batch 128 of a teacher 784-1200-1200-10 (ReLU, forward only)
 * into a student 784-800-800-10 (ReLU, Adam), on the ml worker threads; and the main thread's
 * event-loop lag (10 ms timer) while that training runs. Beside it, PyTorch (CPU, 2 threads) doing the
 * identical step on this machine, run right after ours so both see the same machine load.
 */
export async function run(report: Report): Promise<void> {
  const pool = new MlPool()
  try {
    await pool.start()
    let lag: ReturnType<typeof lagMeter> | null = null
    const ours = await measureKdStep(pool, { teacher: TEACHER, student: STUDENT, batch: BATCH, steps: 40, warmup: 5, onStart: () => (lag = lagMeter(10)) })
    const loop = (lag as ReturnType<typeof lagMeter> | null)?.stop() ?? { maxMs: 0, p99Ms: 0, ticks: 0 }
    const torch = torchFigure(8)
    const t = torch.torch as { samplesPerSecond: number } | null
    report({
      bench: 'kd.step',
      teacher: TEACHER.join('-'),
      student: STUDENT.join('-'),
      ...ours,
      ...torch,
      vsTorch: t ? +(ours.samplesPerSecond / t.samplesPerSecond).toFixed(2) : null,
      eventLoopLagMs: { max: loop.maxMs, p99: loop.p99Ms, ticks: loop.ticks, intervalMs: 10 }
    })
  } finally {
    await pool.dispose()
  }
}
