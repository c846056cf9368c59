import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { packageRoot } from '../core/entries'

/** The data directory: an explicit option, else $DIREDI_HOME, else ~/.diredi. */
export function resolveDataDir(explicit?: string): string {
  if (explicit) return resolve(explicit)
  if (process.env.DIREDI_HOME) return resolve(process.env.DIREDI_HOME)
  return join(homedir(), '.diredi')
}

export const version: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version
