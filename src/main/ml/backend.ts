import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { BackendInfo, BackendName } from '../../shared/api/system'

const req = createRequire(import.meta.url)

/** Folder holding the WASM backend's .wasm files (shipped inside its npm package). */
export function wasmDir(): string | null {
  try {
    const dir = join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')
    return existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm')) ? dir + '/' : null
  } catch {
    return null
  }
}

let probed: { name: BackendName; fallbacks: string[] } | null = null

/**
 * Which tfjs backend the engine uses: @tensorflow/tfjs-node when it loads (native TensorFlow), else
 * the WASM backend, else the pure-JS CPU backend. The answer is probed once and cached; `DIREDI_BACKEND`
 * forces one (for tests and benchmarks). The probe only checks that the backend can load; the engine's
 * workers set it up.
 */
export function probeBackend(): { name: BackendName; fallbacks: string[] } {
  if (probed) return probed
  const fallbacks: string[] = []
  const forced = process.env.DIREDI_BACKEND as BackendName | undefined
  const want = (n: BackendName) => !forced || forced === n
  if (want('tensorflow')) {
    try {
      req('@tensorflow/tfjs-node')
      return (probed = { name: 'tensorflow', fallbacks })
    } catch (e) {
      fallbacks.push(`tensorflow: @tensorflow/tfjs-node did not load (${firstLine(e)})`)
    }
  }
  if (want('wasm')) {
    if (wasmDir()) return (probed = { name: 'wasm', fallbacks })
    fallbacks.push('wasm: @tensorflow/tfjs-backend-wasm or its .wasm files are missing')
  }
  return (probed = { name: 'cpu', fallbacks })
}

let ready: Promise<BackendName> | null = null

/**
 * Sets up the probed backend in this thread (a worker, a test, a bench): loads its package, gives the
 * WASM backend its .wasm files and the kernels it lacks (kernels/register.ts), and makes it tfjs's
 * active backend. Later calls return the same answer. Falls back down the list when a backend that
 * loaded fails to initialise.
 */
export function initBackend(): Promise<BackendName> {
  ready ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core')
    // tfjs-core's Node bundle has no gradient functions; tfjs-layers' bundle registers all of them (into
    // the registry the two share through a global), which is how the umbrella @tensorflow/tfjs gets them.
    await import('@tensorflow/tfjs-layers')
    // No console banners from tfjs (the "install tfjs-node" greeting, platform notices): they would land
    // in the CLI's output; what the engine has to say goes to job logs.
    tf.env().set('PROD', true)
    const order: BackendName[] = ['tensorflow', 'wasm', 'cpu']
    for (const name of order.slice(order.indexOf(probeBackend().name))) {
      try {
        if (name === 'tensorflow') await import('@tensorflow/tfjs-node' as string)
        if (name === 'wasm') {
          const wasm = await import('@tensorflow/tfjs-backend-wasm')
          const { registerWasmKernels } = await import('./kernels/register')
          wasm.setWasmPaths(wasmDir() ?? '')
          registerWasmKernels()
        }
        if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu')
        if (await tf.setBackend(name)) return name
      } catch (e) {
        probeBackend().fallbacks.push(`${name}: did not initialise (${firstLine(e)})`)
      }
    }
    throw new Error('no tfjs backend could be initialised: ' + probeBackend().fallbacks.join('; '))
  })()
  return ready
}

/**
 * Worker threads the engine trains on: every core, at most 4 (data-parallel shards of a batch get too
 * thin beyond that); `DIREDI_WORKERS` overrides. WASM has no threads in Node, so workers are how
 * training uses more than one core.
 */
export function defaultWorkerCount(): number {
  const forced = Number(process.env.DIREDI_WORKERS)
  if (Number.isInteger(forced) && forced > 0) return forced
  return Math.max(1, Math.min(4, availableParallelism()))
}

export function backendInfo(workers = defaultWorkerCount()): BackendInfo {
  const p = probeBackend()
  return { name: p.name, fallbacks: p.fallbacks, workers }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200)
}
