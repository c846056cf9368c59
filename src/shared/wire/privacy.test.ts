import { describe, expect, it } from 'vitest'
import { boardMessage, inputTensor, u16 } from './define'
import { BOARD_FIELD_KINDS, CONSOLE_ONLY_FIELD_KINDS, type FieldKind } from './fields'
import { MESSAGE_LIST, MESSAGES } from './messages'

/**
 * docs/method.md §0: no message type from a board can carry an input sample or a per-sample output of private
 * data. This walks every definition of the protocol, so a new message that breaks it fails here.
 */
describe('privacy of board messages', () => {
  const fromBoard = MESSAGE_LIST.filter((m) => m.from !== 'console')
  const byName = new Map(MESSAGE_LIST.map((m) => [m.name, m]))

  it('the field types a board may send contain no sample type and no secret', () => {
    const kinds = new Set<string>(BOARD_FIELD_KINDS)
    for (const k of CONSOLE_ONLY_FIELD_KINDS) expect(kinds.has(k)).toBe(false)
    expect([...kinds].filter((k) => /sample|input|tensor|key|artifact/i.test(k))).toEqual([])
  })

  it('every board message declares only board field types', () => {
    const allowed = new Set<FieldKind>(BOARD_FIELD_KINDS)
    expect(fromBoard.length).toBeGreaterThan(10)
    for (const m of fromBoard) {
      for (const f of m.fields) expect(allowed.has(f.kind), `${m.name}.${f.name} is ${f.kind}`).toBe(true)
    }
  })

  it('per-sample scores appear only in replies to a console message that carried the input', () => {
    for (const m of fromBoard) {
      if (!m.fields.some((f) => f.kind === 'replyScores')) continue
      expect(m.replyTo?.length, `${m.name} must be a reply`).toBeGreaterThan(0)
      for (const r of m.replyTo ?? []) {
        const req = byName.get(r)
        expect(req?.from, `${m.name} answers ${r}`).toBe('console')
        expect(req?.fields.some((f) => f.kind === 'inputTensor'), `${r} must carry the input that ${m.name} answers`).toBe(true)
      }
      expect(m.fields[0]).toEqual({ name: 'rid', kind: 'u16' })
    }
    expect(MESSAGES.INFER_RESULT.replyTo).toEqual(['INFER'])
  })

  it('the aggregate reports hold counts, not per-sample data', () => {
    expect(MESSAGES.EVAL_REPORT.fields.map((f) => f.kind).sort()).toEqual(['counts', 'counts', 'counts', 'u16', 'u32', 'u32', 'u32', 'u32'])
  })

  it('the type system refuses a board message with a sample field', () => {
    // @ts-expect-error inputTensor is not a BoardFieldKind: a board message cannot declare it
    const leak = boardMessage(0x7f, 'LEAK', [u16('rid'), inputTensor('sample')], { doc: 'must not compile' })
    expect(leak.from).toBe('board')
  })
})
