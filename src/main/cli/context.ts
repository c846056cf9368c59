import type { Command } from 'commander'
import { createApp, type App } from '../app/app'
import { resolveDataDir } from '../app/config'
import { ApiCallError } from '../app/router'
import { AppError } from '../core/errors'

export interface GlobalOptions {
  dataDir?: string
  json?: boolean
}

/** What every command gets: the global options, and ways to build the app and print results. */
export interface CliContext {
  globals(): GlobalOptions
  dataDir(): string
  /** Builds the composition root, runs `fn`, and always disposes it. */
  withApp<T>(fn: (app: App) => Promise<T>): Promise<T>
  /** Prints one JSON object with --json, else the human text. */
  print(value: unknown, human: () => string): void
  /** Progress and notes for people: stderr, and silent with --json. */
  note(text: string): void
}

export function makeContext(program: Command): CliContext {
  const globals = () => program.opts<GlobalOptions>()
  return {
    globals,
    dataDir: () => resolveDataDir(globals().dataDir),
    async withApp(fn) {
      const app = await createApp({ dataDir: resolveDataDir(globals().dataDir), host: 'cli' })
      try {
        return await fn(app)
      } finally {
        await app.dispose()
      }
    },
    print(value, human) {
      if (globals().json) process.stdout.write(JSON.stringify(value) + '\n')
      else process.stdout.write(human() + '\n')
    },
    note(text) {
      if (!globals().json) process.stderr.write(text + '\n')
    }
  }
}

/** Prints a failure the way the CLI always does: a JSON error object with --json, else one readable line. Exit code 1 (2 for usage). */
export function reportFailure(e: unknown, json: boolean): number {
  let code = 'INTERNAL'
  const message = e instanceof Error ? e.message : String(e)
  let details: unknown
  if (e instanceof ApiCallError || e instanceof AppError) {
    code = e.code
    details = e.details
  }
  if (json) process.stdout.write(JSON.stringify({ ok: false, error: { code, message, ...(details === undefined ? {} : { details }) } }) + '\n')
  else process.stderr.write(`diredi: ${message}${code === 'INTERNAL' ? '' : ` [${code}]`}\n`)
  if (code === 'INTERNAL' && e instanceof Error && process.env.DIREDI_DEBUG) process.stderr.write((e.stack ?? '') + '\n')
  return code === 'BAD_REQUEST' || code === 'INVALID_INPUT' ? 2 : 1
}
