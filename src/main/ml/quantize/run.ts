import { Worker } from 'node:worker_threads'
import { workerEntry } from '../../core/entries'
import { AppError } from '../../core/errors'
import type { QuantizeRequest, QuantizeResponse } from './worker-protocol'

/**
 * Quantises and evaluates in a worker thread (so the event loop stays responsive). Resolves the
 * artifact bytes and the evaluation; a model the int8 format cannot hold is MODEL_INVALID; an abort
 * terminates the worker (CANCELLED).
 */
export function quantizeInWorker(req: QuantizeRequest, signal?: AbortSignal): Promise<Extract<QuantizeResponse, { ok: true }>> {
  const { url, execArgv } = workerEntry('quantize-worker')
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError('CANCELLED', 'quantisation was cancelled'))
    const worker = new Worker(url, { execArgv, workerData: req })
    let settled = false
    const finish = (f: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      f()
      void worker.terminate()
    }
    const onAbort = () => finish(() => reject(new AppError('CANCELLED', 'quantisation was cancelled')))
    signal?.addEventListener('abort', onAbort)
    worker.once('message', (r: QuantizeResponse) =>
      finish(() => {
        if (r.ok) resolve(r)
        else if (r.artifactCode) reject(new AppError('MODEL_INVALID', `the model cannot be quantised to the int8 format: ${r.message}`))
        else reject(new Error(`quantisation failed: ${r.message}`))
      })
    )
    worker.once('error', (e) => finish(() => reject(e)))
    worker.once('exit', (code) => finish(() => reject(new Error(`the quantisation worker exited (code ${code}) without an answer`))))
  })
}
