import type { Command } from 'commander'
import { join } from 'node:path'
import { createApp } from '../../app/app'
import { packageRoot } from '../../core/entries'
import { AppError } from '../../core/errors'
import { acquireConsole } from '../../hosts/console-lock'
import { startWebHost } from '../../hosts/web/server'
import type { CliContext } from '../context'
import { intOption } from '../options'

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('start the console for a browser, on 127.0.0.1, and print its URL')
    .option('--port <n>', 'TCP port (0: any free port)', intOption('--port', 0, 65535), 7878)
    .option('--token <t>', 'session token (default: a new random one per launch)')
    .option('--port-path <path>', 'a serial port to open and keep open (repeatable; kept for later starts); other OS ports are listed, not probed', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (o: { port: number; token?: string; portPath?: string[] }) => {
      // one console per data directory: it owns the ports and the rollout queue; `diredi rollout` finds it
      // through the console file (URL and token) and submits to it instead of opening the ports itself
      const got = await acquireConsole(ctx.dataDir(), { kind: 'serve', command: 'diredi serve' })
      if ('holder' in got) {
        const h = got.holder
        throw new AppError('BUSY', `${h.command} (pid ${h.pid}) already uses this data directory${h.url ? ` and serves it at ${h.url.replace(/#.*/, '')}` : ''}; use that one, or stop it (kill ${h.pid}) first, or give another --data-dir`)
      }
      const lock = got.lock
      let app
      let host
      try {
        app = await createApp({ dataDir: ctx.dataDir(), host: 'web', fleet: { portPaths: o.portPath ?? [] } })
        host = await startWebHost(app, { port: o.port, rendererDir: join(packageRoot, 'out', 'renderer'), token: o.token })
        await lock.update({ url: host.url, port: host.port, token: host.token })
      } catch (e) {
        await host?.close()
        await app?.dispose()
        await lock.release()
        throw e
      }
      ctx.print({ url: host.url, port: host.port, dataDir: ctx.dataDir(), pid: process.pid }, () => `DiReDi console serving at ${host.url}\n(data directory ${ctx.dataDir()}; Ctrl-C to stop)`)
      await new Promise<void>((resolve) => {
        const stop = (sig: string) => {
          ctx.note(`${sig}: shutting down`)
          resolve()
        }
        process.once('SIGINT', () => stop('SIGINT'))
        process.once('SIGTERM', () => stop('SIGTERM'))
      })
      await host.close()
      await app.dispose()
      await lock.release()
    })
}
