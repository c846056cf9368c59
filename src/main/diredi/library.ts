import { existsSync, promises as fs } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ScenarioSummary } from '../../shared/api/diredi'
import type { Scenario } from '../../shared/diredi/scenario'
import { packageRoot } from '../core/entries'
import { AppError } from '../core/errors'
import { parseScenario } from './partition'

export interface LoadedScenario {
  scenario: Scenario
  file: string
}

/**
 * Scenario files: the ones shipped in `scenarios/` beside the package, the user's own in
 * <dataDir>/scenarios, or any path. Scenarios are data (docs/method.md), so a user adds one by dropping a
 * JSON file in the data directory or naming its path.
 */
export class ScenarioLibrary {
  readonly dirs: string[]

  constructor(dataDir: string) {
    this.dirs = [join(dataDir, 'scenarios'), join(packageRoot, 'scenarios')]
  }

  async list(): Promise<ScenarioSummary[]> {
    const out: ScenarioSummary[] = []
    const names = new Set<string>()
    for (const dir of this.dirs) {
      const files = await fs.readdir(dir).catch(() => [] as string[])
      for (const f of files.filter((x) => x.endsWith('.json')).sort()) {
        try {
          const { scenario, file } = await this.readFile(join(dir, f))
          if (names.has(scenario.name)) continue
          names.add(scenario.name)
          out.push(summarise(scenario, file))
        } catch {
          // an unreadable file is reported when it is asked for by name; the list shows the good ones
        }
      }
    }
    return out
  }

  /** A scenario by path (anything with a slash or ending in .json) or by name from the library. */
  async load(ref: string): Promise<LoadedScenario> {
    if (ref.includes('/') || ref.endsWith('.json') || existsSync(ref)) return this.readFile(resolve(ref))
    for (const dir of this.dirs) {
      // The file of that name, whose problems are then the user's to see; else a file whose scenario has that name.
      const named = join(dir, `${ref}.json`)
      if (existsSync(named)) return this.readFile(named)
      for (const f of (await fs.readdir(dir).catch(() => [] as string[])).filter((x) => x.endsWith('.json'))) {
        const loaded = await this.readFile(join(dir, f)).catch(() => null)
        if (loaded?.scenario.name === ref) return loaded
      }
    }
    const known = (await this.list()).map((s) => s.name)
    throw new AppError('NOT_FOUND', `no scenario named ${JSON.stringify(ref)}; known: ${known.join(', ') || 'none'}; or give a file path`)
  }

  async readFile(file: string): Promise<LoadedScenario> {
    let text: string
    try {
      text = await fs.readFile(file, 'utf8')
    } catch (e) {
      throw new AppError('NOT_FOUND', `cannot read scenario file ${file}: ${(e as Error).message}`)
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (e) {
      throw new AppError('SCENARIO_INVALID', `${file} is not JSON: ${(e as Error).message}`)
    }
    try {
      return { scenario: parseScenario(json), file }
    } catch (e) {
      if (e instanceof AppError) throw new AppError(e.code, `${file}: ${e.message}`, e.details)
      throw e
    }
  }
}

export function summarise(s: Scenario, file: string): ScenarioSummary {
  const shifts = new Set<string>()
  for (const b of s.boards) {
    if (b.prior) shifts.add('prior')
    if (b.preference) shifts.add('preference')
    if (b.covariate) shifts.add('covariate')
  }
  return { name: s.name, file, dataset: s.dataset, boards: s.boards.length, shifts: [...shifts], description: s.description ?? null }
}
