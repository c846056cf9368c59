import { type Command, Option } from 'commander'
import type { CliContext } from '../context'
import { mb, modelLine } from './dataset-format'

export function registerModels(program: Command, ctx: CliContext): void {
  program
    .command('models')
    .description('teachers and students in the registry (or one, with its spec and lineage)')
    .argument('[ref]', 'id or name of one model')
    .addOption(new Option('--kind <kind>', 'only teachers or only students').choices(['teacher', 'student']))
    .action(async (ref: string | undefined, o: { kind?: 'teacher' | 'student' }) => {
      if (ref) {
        const m = await ctx.withApp((app) => app.router.invoke('models.get', { ref }))
        ctx.print(m, () => [modelLine(m), `layers    ${m.spec.layers.map((l) => l.type).join(' > ')}`, `input     [${m.spec.inputShape.join(', ')}] -> ${m.spec.classes} classes`, `lineage   ${JSON.stringify(m.lineage)}`, `hash      ${m.hash}`].join('\n'))
        return
      }
      const list = await ctx.withApp((app) => app.router.invoke('models.list', { kind: o.kind }))
      ctx.print({ models: list }, () => (list.length ? list.map(modelLine).join('\n') : `no ${o.kind ?? 'model'}s yet`))
    })

  program
    .command('artifacts')
    .description('int8 artifacts in the registry')
    .option('--model <ref>', 'only those made from this model id')
    .action(async (o: { model?: string }) => {
      const list = await ctx.withApp((app) => app.router.invoke('artifacts.list', { modelId: o.model }))
      ctx.print({ artifacts: list }, () => (list.length ? list.map((a) => `${a.id}  from ${a.modelId}  ${mb(a.bytes)}  v${a.formatVersion}  ${a.hash}`).join('\n') : 'no artifacts yet'))
    })
}
