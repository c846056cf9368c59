import type { Command } from 'commander'
import type { CliContext } from '../context'

export function registerInfo(program: Command, ctx: CliContext): void {
  program
    .command('info')
    .description('version, data directory and the tfjs backend the engine would use')
    .action(async () => {
      const status = await ctx.withApp((app) => app.router.invoke('system.status', {}))
      ctx.print(status, () =>
        [
          `DiReDi console ${status.version}`,
          `data directory  ${status.dataDir}`,
          `backend         ${status.backend.name} (${status.backend.workers} worker threads)`,
          ...status.backend.fallbacks.map((f) => `  not used: ${f}`),
          `node            ${status.node} on ${status.platform}`
        ].join('\n')
      )
    })
}
