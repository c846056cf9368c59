import type { JobInfo } from '../../shared/api/jobs'
import type { App } from '../app/app'
import { ApiCallError } from '../app/router'
import type { CliContext } from './context'

const BAR = 30

/** One line of progress: a bar, percent, the job's headline metrics and its ETA. */
export function progressLine(j: JobInfo): string {
  const f = j.progress ?? 0
  const filled = Math.round(f * BAR)
  const m = j.metrics
  const parts = [`[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(f * 100).toFixed(0).padStart(3)}%`]
  if (m.epoch !== undefined) parts.push(`epoch ${m.epoch}/${m.epochs}`)
  if (m.loss !== undefined) parts.push(`loss ${m.loss.toFixed(4)}`)
  if (m.valAcc !== undefined) parts.push(`val ${(m.valAcc * 100).toFixed(2)}%`)
  if (j.etaSeconds !== null && j.etaSeconds > 0) parts.push(`eta ${j.etaSeconds}s`)
  return parts.join('  ')
}

/**
 * Waits for a job through the same events the UI receives, drawing a progress bar on stderr (not
 * with --json). Ctrl-C cancels the job (its checkpoint stays, so it can be resumed). Resolves the
 * final record of a succeeded job; throws the job's coded error otherwise.
 */
export async function followJob(app: App, ctx: CliContext, started: JobInfo, o: { logs?: boolean } = {}): Promise<JobInfo> {
  const tty = process.stderr.isTTY && !ctx.globals().json
  let lastLine = ''
  let lastEpoch = -1
  const draw = (j: JobInfo) => {
    if (ctx.globals().json) return
    if (tty) {
      const line = progressLine(j)
      if (line !== lastLine) process.stderr.write(`\r${line}\x1b[K`)
      lastLine = line
    } else if (j.metrics.valAcc !== undefined && j.metrics.epoch !== lastEpoch) {
      // Without a terminal, one line per finished epoch.
      lastEpoch = j.metrics.epoch
      ctx.note(progressLine(j))
    }
  }
  ctx.note(`job ${started.id}: ${started.title}`)
  const onSigint = () => {
    ctx.note('\ncancelling (the checkpoint is kept; resume with --resume ' + started.id + ')')
    void app.router.invoke('jobs.cancel', { id: started.id }).catch(() => undefined)
  }
  process.once('SIGINT', onSigint)
  const final = await new Promise<JobInfo>((resolve) => {
    const off = app.events.subscribe((name, payload) => {
      if (name === 'job.log' && o.logs && !ctx.globals().json) {
        const l = payload as { id: string; line: { message: string } }
        if (l.id === started.id) {
          if (tty) process.stderr.write('\r\x1b[K')
          ctx.note(l.line.message)
          if (tty && lastLine) process.stderr.write(lastLine)
        }
        return
      }
      if (name !== 'job.updated') return
      const j = payload as JobInfo
      if (j.id !== started.id) return
      draw(j)
      if (j.state === 'succeeded' || j.state === 'failed' || j.state === 'cancelled') {
        off()
        resolve(j)
      }
    })
    // The job may have ended before we subscribed.
    void app.router.invoke('jobs.get', { id: started.id }).then((j) => {
      if (j.state === 'succeeded' || j.state === 'failed' || j.state === 'cancelled') {
        off()
        resolve(j)
      }
    })
  })
  process.removeListener('SIGINT', onSigint)
  if (tty) process.stderr.write('\n')
  if (final.state !== 'succeeded') {
    const e = final.error ?? { code: 'JOB_FAILED', message: `job ${final.id} ${final.state}` }
    throw new ApiCallError(e.code, `job ${final.id} ${final.state}: ${e.message}`, { jobId: final.id })
  }
  return final
}
