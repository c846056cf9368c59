import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { AppError } from '../core/errors'
import { ADAPTATION } from '../../shared/wire/messages'
import type { BoardConfig } from './board-host'
import { parseFaults } from './faults'

/**
 * The board part of a scenario file (issue #6's format, plus optional board settings): which boards to
 * emulate and what each is. The user data part (dataset, prior, preference, covariate) is read by the
 * DiReDi round; fields this file does not know are kept for it.
 */
const Board = z
  .object({
    id: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
    class: z.string().min(1).max(64).optional(),
    flash_kb: z.number().int().min(1).max(16384).optional(),
    ram_kb: z.number().int().min(1).max(16384).optional(),
    adaptation: z.enum(ADAPTATION).optional(),
    /** The DiReDi scenario's name for the same setting (src/shared/diredi/scenario.ts). */
    adapt: z.enum(['head', 'all', 'tutor']).optional(),
    baud: z.number().int().min(300).max(12_000_000).optional(),
    faults: z.string().optional()
  })
  .passthrough()

const Scenario = z.object({ name: z.string().optional(), boards: z.array(Board).min(1).max(1024) }).passthrough()

export interface ScenarioBoards {
  name: string
  boards: Array<Partial<BoardConfig> & { boardId: string; faults?: string }>
}

export function readScenarioBoards(file: string): ScenarioBoards {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new AppError('SCENARIO_INVALID', `${file}: not readable JSON (${(e as Error).message})`)
  }
  const r = Scenario.safeParse(raw)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new AppError('SCENARIO_INVALID', `${file}: ${i.path.join('.') || '(top)'}: ${i.message}`)
  }
  const ids = new Set<string>()
  const boards = r.data.boards.map((b, i) => {
    if (ids.has(b.id)) throw new AppError('SCENARIO_INVALID', `${file}: boards.${i}.id: "${b.id}" appears twice`)
    ids.add(b.id)
    if (b.faults) {
      try {
        parseFaults(b.faults)
      } catch (e) {
        throw new AppError('SCENARIO_INVALID', `${file}: boards.${i}.faults: ${(e as Error).message}`)
      }
    }
    return {
      boardId: b.id,
      ...(b.class ? { boardClass: b.class } : {}),
      ...(b.flash_kb ? { flashBytes: b.flash_kb * 1024 } : {}),
      ...(b.ram_kb ? { ramBytes: b.ram_kb * 1024 } : {}),
      ...(b.adaptation ? { adaptation: b.adaptation } : b.adapt ? { adaptation: b.adapt } : {}),
      ...(b.baud ? { baud: b.baud } : {}),
      ...(b.faults ? { faults: b.faults } : {})
    }
  })
  return { name: r.data.name ?? file, boards }
}
