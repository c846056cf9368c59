import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lagMeter } from '../src/main/ml/bench/lag'
import { measureKdStep, type KdStepFigures } from '../src/main/ml/bench/kd-step'
import { MlPool } from '../src/main/ml/worker/pool'
import type { Report } from './run'

const TEACHER = [784, 1200, 1200, 10]
const STUDENT = [784, 800, 800, 10]
const BATCH = 128
/** Rounds of (ours, then PyTorch): the machine is shared, so both are sampled across the same minutes. */
const ROUNDS = Number(process.env.DIREDI_BENCH_ROUNDS ?? 3)
const here = dirname(fileURLToPath(import.meta.url))

interface TorchFigure {
  samplesPerSecond: number
  gflops: number
  threads: number
  torch: string
}

/** A python3 that can import torch, or null. */
function findTorch(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) if (spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return py
  return null
}

/** One run of bench/torch_kd_step.py (the identical step in PyTorch, 2 threads). */
function torchRun(py: string, seconds: number): TorchFigure {
  const r = spawnSync(py, [join(here, 'torch_kd_step.py'), '--threads', '2', '--seconds', String(seconds), '--batch', String(BATCH)], { encoding: 'utf8', timeout: 120_000 })
  if (r.status !== 0) throw new Error(`torch_kd_step.py failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`)
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as TorchFigure
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * kd.step: one distillation step at batch 128 of a teacher 784-1200-1200-10 (ReLU, forward only)
 * into a student 784-800-800-10 (ReLU, Adam), on the ml worker threads; the main thread's event-loop
 * lag (10 ms timer) while that training runs; and PyTorch (CPU, 2 threads) doing the identical step on
 * this machine (bench/torch_kd_step.py), alternated with ours round by round. Figures are medians
 * over the rounds, each round's figure the median step.
 */
export async function run(report: Report): Promise<void> {
  const pool = new MlPool()
  const py = process.env.DIREDI_BENCH_NO_TORCH ? null : findTorch()
  try {
    await pool.start()
    const ours: KdStepFigures[] = []
    const torch: TorchFigure[] = []
    const lags: Array<{ maxMs: number; p99Ms: number; ticks: number }> = []
    for (let r = 0; r < ROUNDS; r++) {
      let lag: ReturnType<typeof lagMeter> | null = null
      ours.push(await measureKdStep(pool, { teacher: TEACHER, student: STUDENT, batch: BATCH, steps: 30, warmup: 5, onStart: () => (lag = lagMeter(10)) }))
      lags.push((lag as ReturnType<typeof lagMeter> | null)?.stop() ?? { maxMs: 0, p99Ms: 0, ticks: 0 })
      if (py) torch.push(torchRun(py, 5))
    }
    const sps = median(ours.map((o) => o.samplesPerSecond))
    const best = ours.find((o) => o.samplesPerSecond === sps)!
    const tSps = torch.length ? median(torch.map((t) => t.samplesPerSecond)) : null
    report({
      bench: 'kd.step',
      teacher: TEACHER.join('-'),
      student: STUDENT.join('-'),
      ...best,
      rounds: ours.map((o) => o.samplesPerSecond),
      torch: tSps === null ? null : { samplesPerSecond: tSps, gflops: +((tSps * best.flopsPerSample) / 1e9).toFixed(2), rounds: torch.map((t) => t.samplesPerSecond), threads: torch[0].threads, version: torch[0].torch },
      ...(py ? {} : { torchNote: process.env.DIREDI_BENCH_NO_TORCH ? 'skipped (DIREDI_BENCH_NO_TORCH)' : 'skipped: no python3 here imports torch (apt-get install -y python3-torch libopenblas0-pthread)' }),
      vsTorch: tSps ? +(sps / tSps).toFixed(2) : null,
      eventLoopLagMs: { max: Math.max(...lags.map((l) => l.maxMs)), p99: median(lags.map((l) => l.p99Ms)), ticks: lags.reduce((a, l) => a + l.ticks, 0), intervalMs: 10 }
    })
  } finally {
    await pool.dispose()
  }
}
