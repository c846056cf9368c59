import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { messageTable, TABLE_BEGIN, TABLE_END } from '../src/shared/wire/doc'
import { BOARD_ERRORS, MESSAGE_LIST } from '../src/shared/wire/messages'

const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'protocol.md'), 'utf8')

describe('docs/protocol.md', () => {
  it('carries the message catalogue exactly as the definitions say (run scripts/protocol-doc.ts after a change)', () => {
    const inside = doc.slice(doc.indexOf(TABLE_BEGIN) + TABLE_BEGIN.length, doc.indexOf(TABLE_END)).trim()
    expect(inside).toBe(messageTable())
    for (const m of MESSAGE_LIST) expect(inside).toContain(`| ${m.name} |`)
  })

  it('documents every board error code', () => {
    for (const c of BOARD_ERRORS) expect(doc).toMatch(new RegExp(`\\| ${c}[ |/]`))
  })
})
