import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readIdxDataset } from '../src/main/ml/data/idx-import'
import { exportDataset, importDataset } from '../src/main/ml/data/import'
import { writeIdxFile } from '../src/main/ml/data/testing'
import { openRegistry } from '../src/main/store/registry'
import type { Report } from './run'

const ms = (t0: number) => performance.now() - t0

/** Median of `reps` timings of `fn` (ms). */
async function median(reps: number, fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    await fn()
    t.push(ms(t0))
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)]
}

/**
 * Dataset readers and the registry: IDX import throughput (decode alone, and decode + atomic put into
 * a fresh registry), raw and gzipped, for the 10,000 built-in digits and a 60,000-image synthetic set;
 * the time to load the digits for training (float32 x in [0, 1]); the first-use materialisation.
 */
export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'diredi-bench-data-'))
  try {
    const reg = await openRegistry(join(dir, 'data'))
    let t0 = performance.now()
    const mnist = await reg.datasets.get('mnist')
    report({ bench: 'data.builtin_materialise', dataset: 'mnist', samples: 10000, ms: +ms(t0).toFixed(1) })

    const load = await median(5, () => reg.datasets.load('mnist'))
    report({ bench: 'data.load', dataset: 'mnist', samples: 10000, msMedian: +load.toFixed(1), samplesPerSecond: Math.round(10000 / (load / 1000)) })

    for (const gzip of [false, true]) {
      const out = join(dir, gzip ? 'gz' : 'raw')
      const ex = await exportDataset(reg, { ref: 'mnist', format: 'idx', out, gzip })
      const paths = ex.files.map((f) => f.path)
      const decoded = await readIdxDataset(paths, {})
      const mb = decoded.bytesRead / 1e6
      const decode = await median(5, () => readIdxDataset(paths, {}))
      let n = 0
      const full = await median(3, async () => {
        const r = await openRegistry(join(dir, `fresh-${gzip}-${n++}`), { builtins: {} })
        const res = await importDataset(r, { format: 'idx', paths, name: 'digits' })
        if (res.record.hash !== mnist.hash) throw new Error('round trip changed the hash')
      })
      report({ bench: 'data.idx_import', dataset: 'mnist', gzip, mb: +mb.toFixed(2), fileMb: +(ex.files.reduce((a, f) => a + f.bytes, 0) / 1e6).toFixed(2), decodeMBps: Math.round(mb / (decode / 1000)), importMBps: Math.round(mb / (full / 1000)), importMs: +full.toFixed(1) })
    }

    // 60,000 28x28 images: the size of the full MNIST train set.
    const n = 60000
    const big = join(dir, 'big')
    const pixels = new Uint8Array(n * 784)
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24
    writeIdxFile(join(big, 'train-images-idx3-ubyte'), 0x08, [n, 28, 28], pixels)
    writeIdxFile(join(big, 'train-labels-idx1-ubyte'), 0x08, [n], Array.from({ length: n }, (_, i) => i % 10))
    const paths = [join(big, 'train-images-idx3-ubyte'), join(big, 'train-labels-idx1-ubyte')]
    t0 = performance.now()
    const r = await importDataset(await openRegistry(join(dir, 'big-reg'), { builtins: {} }), { format: 'idx', paths, name: 'big' })
    const full = ms(t0)
    const decode = await median(3, () => readIdxDataset(paths, {}))
    const mb = r.bytesRead / 1e6
    report({ bench: 'data.idx_import', dataset: 'synthetic-60k', gzip: false, mb: +mb.toFixed(2), decodeMBps: Math.round(mb / (decode / 1000)), importMBps: Math.round(mb / (full / 1000)), importMs: +full.toFixed(1) })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
