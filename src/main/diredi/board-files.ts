import { promises as fs, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writePrivateData } from '../emulator/data-file'
import { openRegistry } from '../store/registry'
import { ScenarioLibrary } from './library'
import { partition } from './partition'

/**
 * For board processes (`diredi emulate --scenario`): when the file is a DiReDi scenario (it names a
 * dataset), each board's private data U_b, as the scenario's partition gives it, in a file only that
 * board process reads (mode 0600, under the emulators' state folder: the board's own storage). The
 * console never opens these files; it learns from the boards over the link like from USB boards.
 */
export async function writeBoardDataFiles(dataDir: string, scenarioFile: string, dir: string): Promise<Map<string, string> | null> {
  let json: { dataset?: unknown }
  try {
    json = JSON.parse(readFileSync(scenarioFile, 'utf8')) as { dataset?: unknown }
  } catch {
    return null
  }
  if (typeof json.dataset !== 'string') return null
  const { scenario } = await new ScenarioLibrary(dataDir).readFile(scenarioFile)
  const registry = await openRegistry(dataDir)
  const part = partition(scenario, await registry.datasets.load(scenario.dataset))
  await fs.mkdir(dir, { recursive: true, mode: 0o700 })
  const out = new Map<string, string>()
  for (const b of part.boards) {
    const file = join(dir, `${b.id}.private`)
    await writePrivateData(file, { inputShape: part.inputShape, classes: part.classes, train: b.train, test: b.test })
    out.set(b.id, file)
  }
  return out
}
