import type { Command } from 'commander'
import { join } from 'node:path'
import { createApp } from '../../app/app'
import { packageRoot } from '../../app/entries'
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
      const app = await createApp({ dataDir: ctx.dataDir(), host: 'web', fleet: { portPaths: o.portPath ?? [] } })
      let host
      try {
        host = await startWebHost(app, { port: o.port, rendererDir: join(packageRoot, 'out', 'renderer'), token: o.token })
      } catch (e) {
        await app.dispose()
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
    })
}
