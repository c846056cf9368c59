/**
 * Flash sizes a model slot commonly gets on the boards DiReDi targets, in KB (1024 bytes), as a yardstick
 * for artifact sizes. Display reference only: whether an artifact fits a particular board is decided by
 * the board itself (it reports its flash in HELLO and refuses what does not fit with TOO_LARGE).
 */
export const BOARD_BUDGETS: ReadonlyArray<{ kb: number; note: string }> = [
  { kb: 32, note: 'small Cortex-M0+ slot' },
  { kb: 64, note: 'Cortex-M0+/M3 slot' },
  { kb: 128, note: 'Cortex-M4 slot' },
  { kb: 256, note: 'virtual board default; Cortex-M4F/M7 slot' },
  { kb: 1024, note: 'ESP32-S3 / RP2040 slot' }
]

const OWN_NOTE = 'the budget it was made for'

export interface BudgetFit {
  kb: number
  note: string
  /** Share of the budget the artifact takes (1 = exactly full). */
  used: number
  fits: boolean
}

/** How `bytes` compares with each budget; `extraKb` (e.g. the budget a student was made for) comes first. */
export function budgetFits(bytes: number, extraKb?: number | null): BudgetFit[] {
  const list = [...(extraKb ? [{ kb: extraKb, note: OWN_NOTE }] : []), ...BOARD_BUDGETS.filter((b) => b.kb !== extraKb)]
  return list.map((b) => ({ ...b, used: bytes / (b.kb * 1024), fits: bytes <= b.kb * 1024 }))
}

/**
 * The few budgets that tell the story in a table cell: the one it was made for, the largest it exceeds,
 * and the smallest it fits (in that order, without repeats).
 */
export function keyFits(fits: BudgetFit[]): BudgetFit[] {
  const own = fits.find((f) => f.note === OWN_NOTE)
  const rest = fits.filter((f) => f !== own).sort((a, b) => a.kb - b.kb)
  const over = rest.filter((f) => !f.fits).at(-1)
  const fit = rest.find((f) => f.fits)
  return [own, over, fit].filter((f): f is BudgetFit => f !== undefined)
}

/** A budget for people: 1024 KB and up in MB. */
export const budgetLabel = (kb: number) => (kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`)
