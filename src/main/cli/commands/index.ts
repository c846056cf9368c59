import type { Command } from 'commander'
import type { CliContext } from '../context'
import { registerBoards } from './boards'
import { registerDataset } from './dataset'
import { registerExport } from './export'
import { registerEmulate } from './emulate'
import { registerFleet } from './fleet'
import { registerInfo } from './info'
import { registerMl } from './ml'
import { registerModels } from './models'
import { registerServe } from './serve'
import { registerDiredi } from './diredi'

/** Every `diredi` sub-command; each domain adds its own register function here. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerServe(program, ctx)
  registerInfo(program, ctx)
  registerDataset(program, ctx)
  registerModels(program, ctx)
  registerExport(program, ctx)
  registerBoards(program, ctx)
  registerEmulate(program, ctx)
  registerFleet(program, ctx)
  registerMl(program, ctx)
  registerDiredi(program, ctx)
}
