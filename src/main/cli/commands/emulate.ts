import { join } from 'node:path'
import { type Command, InvalidArgumentError } from 'commander'
import { startEmulation } from '../../emulator/emulate'
import { parseFaults } from '../../emulator/faults'
import { readScenarioBoards } from '../../emulator/scenario'
import { writeBoardDataFiles } from '../../diredi/board-files'
import type { CliContext } from '../context'
import { intOption } from '../options'

interface EmulateFlags {
  boards?: number
  scenario?: string
  baud: number
  faults?: string
  pace: boolean
  dir?: string
  stateDir?: string
}

/** Checks a fault spec while parsing arguments, so a bad one is a usage error that names the part. */
function faultsOption(v: string): string {
  try {
    parseFaults(v)
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message)
  }
  return v
}

export function registerEmulate(program: Command, ctx: CliContext): void {
  program
    .command('emulate')
    .description('run virtual boards, each a process on a socat pseudo-terminal pair; prints one JSON line per board and runs until stopped')
    .option('--boards <n>', 'number of boards (default 1, or as many as the scenario names)', intOption('--boards', 1, 256))
    .option('--scenario <file>', 'a scenario file: board ids and settings (class, flash_kb, ram_kb, adapt, baud, faults); a DiReDi scenario (with a dataset) also gives each board its private data')
    .option('--baud <b>', 'line rate the boards pace their bytes to (default 921600)', intOption('--baud', 300, 12_000_000), 921600)
    .option('--faults <spec>', 'e.g. ber=1e-4,drop=0.01,unplug=0.1,reboot=0,stall=0,trialUnplug=0,unplugMs=300,stallMs=1500,seed=1', faultsOption)
    .option('--no-pace', 'do not pace bytes to the baud rate')
    .option('--dir <dir>', 'where the port links go (default: a new temporary folder)')
    .option('--state-dir <dir>', 'keep each board\'s flash here between runs (default: the data directory\'s emulators/state)')
    .action(async (o: EmulateFlags) => {
      const faults = parseFaults(o.faults)
      const scenario = o.scenario ? readScenarioBoards(o.scenario) : null
      const count = o.boards ?? scenario?.boards.length ?? 1
      const perBoard = Array.from({ length: count }, (_, i) => {
        const b = scenario?.boards[i]
        if (!b) return {}
        const { faults: _f, ...cfg } = b
        return cfg
      })
      const stateDir = o.stateDir ?? join(ctx.dataDir(), 'emulators', 'state')
      // A DiReDi scenario also gives each board its user's private data (the board keeps it to itself).
      const files = o.scenario ? await writeBoardDataFiles(ctx.dataDir(), o.scenario, join(stateDir, 'private')) : null
      if (files) ctx.note(`each board holds its user's private data from ${o.scenario} (${[...files.keys()].join(', ')})`)
      const emu = await startEmulation({
        boards: count,
        baud: o.baud,
        pace: o.pace,
        faults,
        perBoard,
        dir: o.dir,
        stateDir,
        dataFiles: perBoard.map((_, i) => { const id = scenario?.boards[i]?.boardId; return id ? files?.get(id) : undefined }),
        announceDir: join(ctx.dataDir(), 'emulators')
      })
      // One JSON line per board, always: scripts read the ports from here.
      for (const b of emu.boards) process.stdout.write(JSON.stringify({ board: b.index, boardId: b.boardId, port: b.port, device: b.device, pid: b.pid, socatPid: b.socatPid, baud: b.baud }) + '\n')
      emu.onReport((i, r) => ctx.note(`board ${emu.boards[i]?.boardId ?? i}: ${r.type}${'message' in r ? `: ${r.message}` : ''}`))
      process.stderr.write(`${count} virtual board(s) running; Ctrl-C stops them\n`)
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve())
        process.once('SIGTERM', () => resolve())
      })
      await emu.stop()
      process.stderr.write('virtual boards stopped\n')
    })
}
