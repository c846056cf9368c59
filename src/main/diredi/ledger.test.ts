import { describe, expect, it } from 'vitest'
import { PrivacyLedger } from './ledger'

describe('privacy ledger', () => {
  it('sums bytes and frames per board and message type, and totals them', () => {
    const l = new PrivacyLedger('r1')
    l.received('b2', 'KNOWLEDGE_CHUNK', 1000)
    l.received('b2', 'KNOWLEDGE_CHUNK', 500)
    l.received('b1', 'HELLO_INFO', 80)
    l.knowledge('b2', 1400)
    l.privateData('b2', 784 * 1000)
    const s = l.snapshot()
    expect(s.boards.map((b) => b.boardId)).toEqual(['b1', 'b2'])
    expect(s.boards[1]).toMatchObject({ bytesByType: { KNOWLEDGE_CHUNK: 1500 }, framesByType: { KNOWLEDGE_CHUNK: 2 }, knowledgeBytes: 1400, rawSamplesUploaded: 0 })
    expect(s.totals).toEqual({ bytes: 1580, knowledgeBytes: 1400, privateDataBytes: 784000, rawSamplesUploaded: 0 })
  })
})
