import { Worker } from 'node:worker_threads'
import type { BackendName } from '../../../shared/api/system'
import type { ErrorCode } from '../../../shared/api/errors'
import { AppError } from '../../core/errors'
import { defaultWorkerCount } from '../backend'
import { workerEntry } from '../../core/entries'
import type { TrainEvent } from '../train/task'
import type { Reply, Request, Results, WireError } from './protocol'

type Op = Request['op']
type RequestOf<K extends Op> = Omit<Extract<Request, { op: K }>, 'id'>

interface Pending {
  resolve(v: unknown): void
  reject(e: Error): void
  onEvent?: (e: TrainEvent) => void
}

interface Slot {
  worker: Worker
  pending: Map<number, Pending>
}

function fromWire(e: WireError): Error {
  if (e.name === 'AppError' && e.code) return new AppError(e.code as ErrorCode, e.message, e.details)
  const err = new Error(e.message)
  err.name = e.name
  if (e.stack) err.stack = e.stack
  return err
}

/**
 * The ml worker threads, started on first use and kept until `dispose()`. One piece of work holds
 * the whole pool at a time (`exclusive`), since training uses every worker. A worker that dies fails
 * what it was doing, and the pool starts fresh workers for the next piece of work.
 */
export class MlPool {
  private slots: Slot[] | null = null
  private starting: Promise<Slot[]> | null = null
  private tail: Promise<unknown> = Promise.resolve()
  private nextId = 1
  private disposed = false
  backend: BackendName | null = null

  constructor(readonly size: number = defaultWorkerCount()) {}

  /** Runs `fn` with the pool to itself; later callers wait their turn. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn)
    this.tail = run.catch(() => undefined)
    return run
  }

  /** Sends one request to worker `index` and resolves with its result; `onEvent` receives training events. */
  async call<K extends Op>(index: number, req: RequestOf<K>, onEvent?: (e: TrainEvent) => void): Promise<Results[K]> {
    const slots = await this.start()
    const slot = slots[index]
    const id = this.nextId++
    slot.worker.ref()
    try {
      return await new Promise<Results[K]>((resolve, reject) => {
        slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent })
        slot.worker.postMessage({ ...req, id } as unknown as Request)
      })
    } finally {
      if (slot.pending.size === 0) slot.worker.unref()
    }
  }

  /** Starts the workers (once) and waits until each has set up its backend. */
  start(): Promise<Slot[]> {
    if (this.disposed) return Promise.reject(new AppError('SHUTTING_DOWN', 'the ml engine is shutting down'))
    if (this.slots) return Promise.resolve(this.slots)
    this.starting ??= Promise.all(Array.from({ length: this.size }, () => this.spawn())).then(
      (slots) => {
        this.starting = null
        if (this.disposed) {
          for (const s of slots) void s.worker.terminate()
          throw new AppError('SHUTTING_DOWN', 'the ml engine is shutting down')
        }
        return (this.slots = slots)
      },
      (e: unknown) => {
        this.starting = null
        throw e
      }
    )
    return this.starting
  }

  private spawn(): Promise<Slot> {
    const ep = workerEntry('ml-worker')
    const worker = new Worker(ep.url, { execArgv: ep.execArgv })
    const slot: Slot = { worker, pending: new Map() }
    return new Promise<Slot>((resolve, reject) => {
      let ready = false
      worker.on('message', (r: Reply) => {
        if (r.type === 'ready') {
          ready = true
          this.backend = r.backend
          worker.unref()
          return resolve(slot)
        }
        const p = slot.pending.get(r.id)
        if (!p) return
        if (r.type === 'event') return p.onEvent?.(r.event)
        slot.pending.delete(r.id)
        if (r.type === 'result') p.resolve(r.value)
        else p.reject(fromWire(r.error))
      })
      const die = (why: string) => {
        if (!ready) reject(new AppError('BACKEND_UNAVAILABLE', `the ml worker could not start: ${why}`))
        const err = this.disposed ? new AppError('SHUTTING_DOWN', 'the ml engine is shutting down') : new Error(`an ml worker stopped unexpectedly (${why})`)
        for (const p of slot.pending.values()) p.reject(err)
        slot.pending.clear()
        this.broken(slot)
      }
      worker.on('error', (e) => die(e.message))
      worker.on('exit', (code) => die(`exit code ${code}`))
    })
  }

  /** A worker died: end its siblings too (they may wait for it at a barrier) and start afresh next time. */
  private broken(slot: Slot): void {
    if (!this.slots?.includes(slot)) return
    const others = this.slots.filter((s) => s !== slot)
    this.slots = null
    for (const s of others) void s.worker.terminate()
  }

  /** Ends every worker; pending work fails with SHUTTING_DOWN. Idempotent. */
  async dispose(): Promise<void> {
    this.disposed = true
    const slots = this.slots ?? (this.starting ? await this.starting.catch(() => [] as Slot[]) : [])
    this.slots = null
    await Promise.all(slots.map((s) => s.worker.terminate()))
  }

  /** Worker threads currently alive (for tests of disposal). */
  get alive(): number {
    return this.slots?.length ?? 0
  }
}
