import type { FieldDef } from './fields'
import { MESSAGE_LIST } from './messages'

const fieldText = (f: FieldDef) => (f.kind === 'enum' ? `${f.name}: enum(${(f.values ?? []).join('\\|')})` : `${f.name}: ${f.kind}`)

/**
 * The message catalogue of docs/protocol.md, made from the definitions themselves so the page cannot
 * drift from the code (a test compares them; `node --import tsx scripts/protocol-doc.ts` rewrites it).
 */
export function messageTable(): string {
  const rows = MESSAGE_LIST.map((m) => {
    const code = `0x${m.type.toString(16).padStart(2, '0')}`
    const from = m.from === 'both' ? 'either' : m.from
    const how = `${m.reliable ? 'reliable' : 'best effort'}${m.channel === 'log' ? ', log channel' : ''}`
    const reply = m.replyTo ? (m.replyTo[0] === '*' ? 'any request' : m.replyTo.join(', ')) : ''
    const fields = m.fields.length ? m.fields.map(fieldText).join('; ') : '(none)'
    return `| ${code} | ${m.name} | ${from} | ${how} | ${reply} | ${fields} | ${m.doc.replace(/\|/g, '\\|')} |`
  })
  return ['| code | message | from | delivery | answers | fields, in order | meaning |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n')
}

export const TABLE_BEGIN = '<!-- messages:begin (generated from src/shared/wire/messages.ts) -->'
export const TABLE_END = '<!-- messages:end -->'
