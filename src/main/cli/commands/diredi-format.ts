import type { ExperimentReport, RoundReport } from '../../../shared/api/diredi'

const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '   n/a' : `${(x * 100).toFixed(1).padStart(5)}%`)

/** A round's report for people: outcome, boards, inbox, ledger, QA. */
export function roundText(r: RoundReport): string {
  const lines = [
    `round ${r.round} (${r.id}) on ${r.scenario}: ${r.outcome.toUpperCase()} in ${r.seconds}s`,
    `  ${r.summary}`,
    `  teacher ${r.teacherBefore} -> ${r.teacherAfter ?? '(unchanged)'}; student ${r.studentBefore} -> ${r.candidate ?? '(none)'}`,
    '  board            form   n_train  before  adapted  candidate  knowledge',
    ...r.boards.map((b) => `  ${b.boardId.padEnd(16)} ${b.adapt.padEnd(6)} ${String(b.nTrain).padStart(7)}  ${pct(b.accBefore)}  ${pct(b.accAdapted)}  ${pct(b.accCandidate)}    ${String(b.knowledgeBytes).padStart(7)} B${b.error ? `  error: ${b.error}` : ''}`),
    `  inbox: ${r.inbox.filter((i) => i.accepted).length} accepted, ${r.inbox.filter((i) => !i.accepted).length} refused${r.inbox.filter((i) => !i.accepted).map((i) => `\n    refused ${i.boardId ?? '?'}: ${i.code} ${i.reason}`).join('')}`,
    `  privacy ledger: ${r.ledger.totals.bytes} bytes from the boards (${r.ledger.totals.knowledgeBytes} of knowledge) against ${r.ledger.totals.privateDataBytes} bytes of private data; raw samples uploaded: ${r.ledger.totals.rawSamplesUploaded}`
  ]
  if (r.privacy) lines.push(`  board privacy: deltas clipped to ${r.privacy.clip}, Gaussian noise sigma ${r.privacy.sigma}: ${r.privacy.epsilon === null ? 'no epsilon claimed (sigma below the Gaussian bound)' : `epsilon ${r.privacy.epsilon.toFixed(3)} per round`} at delta ${r.privacy.delta}`)
  if (r.qa) {
    lines.push(`  QA ${r.qa.passed ? 'PASSED' : 'FAILED'}:`)
    for (const c of r.qa.checks) lines.push(`    ${c.passed ? 'ok  ' : 'FAIL'} ${c.title}: ${c.detail} (measured ${c.measured}, limit ${c.limit})`)
  }
  return lines.join('\n')
}

const pts = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(1) : 'n/a')

/** The baseline table, one row per method (the last round's). */
export function experimentTable(e: ExperimentReport): string {
  const head = 'method         acc_user  acc_presumed  max_class_drop  raw_samples_uploaded  knowledge_bytes  seconds  qa'
  const rows = e.table.map(
    (r) => `${r.method.padEnd(14)} ${pct(r.acc_user)}    ${pct(r.acc_presumed)}        ${r.max_class_drop.toFixed(1).padStart(6)}          ${String(r.raw_samples_uploaded).padStart(8)}              ${String(r.knowledge_bytes).padStart(9)}  ${r.seconds.toFixed(0).padStart(7)}  ${r.qa_passed === null ? '-' : r.qa_passed ? 'pass' : 'fail'}${r.note ? `  (${r.note})` : ''}`
  )
  const y = e.yardstick
  return [
    `experiment ${e.id}: ${e.scenario} on ${e.dataset}, seed ${e.seed}, ${e.rounds} round(s)`,
    head,
    ...rows,
    Number.isFinite(y.share)
      ? `yardstick: DiReDi's gain ${pts(y.gainDiredi)} pts = ${(y.share * 100).toFixed(0)}% of max(oracle ${pts(y.gainOracle)}, local ${pts(y.gainLocal)}) pts: ${y.met ? 'MET (>= 80%)' : 'NOT MET (< 80%)'}`
      : `yardstick: not measured (it needs diredi and local or oracle with a positive gain over none; gains: diredi ${pts(y.gainDiredi)}, local ${pts(y.gainLocal)}, oracle ${pts(y.gainOracle)})`,
    ...(e.files.length ? [`written: ${e.files.join(', ')}`] : [])
  ].join('\n')
}
