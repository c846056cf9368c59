/**
 * Entry of an ml worker thread (entry-list.ts: 'ml-worker'). It sets up the tfjs backend once, then
 * answers requests one at a time (protocol.ts). Training blocks this thread for the whole run and
 * talks through shared memory and posted events; the main thread never waits on it.
 */
import { parentPort } from 'node:worker_threads'
import { AppError } from '../../core/errors'
import { initBackend } from '../backend'
import { importLayersModel } from '../model/import'
import { predictRows } from '../model/predict'
import { runTraining } from '../train/loop'
import type { Reply, Request, WireError } from './protocol'

const port = parentPort
if (!port) throw new Error('ml worker: must run as a worker thread')

const send = (r: Reply) => port.postMessage(r)

function wire(e: unknown): WireError {
  if (e instanceof AppError) return { name: 'AppError', code: e.code, message: e.message, details: e.details }
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack }
  return { name: 'Error', message: String(e) }
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'train':
      return runTraining(req.task, req.index, req.count, (event) => send({ type: 'event', id: req.id, event }))
    case 'predict':
      predictRows(req.spec, req.params, req.x, req.lo, req.hi, req.out)
      return null
    case 'import':
      return importLayersModel(req.path)
  }
}

const backend = await initBackend()
port.on('message', (req: Request) => {
  handle(req).then(
    (value) => send({ type: 'result', id: req.id, value }),
    (e: unknown) => send({ type: 'error', id: req.id, error: wire(e) })
  )
})
send({ type: 'ready', backend })
