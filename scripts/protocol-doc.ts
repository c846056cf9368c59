/** Rewrites the message catalogue of docs/protocol.md from src/shared/wire/messages.ts. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { messageTable, TABLE_BEGIN, TABLE_END } from '../src/shared/wire/doc'

const file = join(import.meta.dirname, '..', 'docs', 'protocol.md')
const text = readFileSync(file, 'utf8')
const a = text.indexOf(TABLE_BEGIN)
const b = text.indexOf(TABLE_END)
if (a < 0 || b < a) throw new Error(`${file}: the markers ${TABLE_BEGIN} ... ${TABLE_END} are missing`)
writeFileSync(file, text.slice(0, a + TABLE_BEGIN.length) + '\n' + messageTable() + '\n' + text.slice(b))
console.log(`updated ${file}`)
