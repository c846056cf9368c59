import { Command, CommanderError } from 'commander'
import { version } from '../app/config'
import { registerCommands } from './commands'
import { makeContext, reportFailure } from './context'

/** Builds the `diredi` program; `run` parses argv and returns the exit code. */
export function buildProgram(): Command {
  const program = new Command('diredi')
    .description('DiReDi console: distil, flash and learn back from AI dev boards')
    .version(version)
    .option('--data-dir <dir>', 'data directory (default: $DIREDI_HOME or ~/.diredi)')
    .option('--json', 'print one JSON object instead of human output')
    .showHelpAfterError('(run `diredi --help` for usage)')
    .exitOverride()
  registerCommands(program, makeContext(program))
  return program
}

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; usage errors were already printed by commander
      return e.exitCode === 0 ? 0 : 2
    }
    return reportFailure(e, Boolean(program.opts<{ json?: boolean }>().json))
  }
}
