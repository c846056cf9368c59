import type { QaReport } from '../../shared/diredi/qa'
import { barChartSvg, escapeXml as esc } from './svg'

/** The QA gate's report as one standalone HTML file (inline CSS and SVG; no script, no network). */
export function qaReportHtml(r: QaReport, classNames: string[] = []): string {
  const name = (c: number) => classNames[c] ?? String(c)
  const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`)
  const classes = r.perClass.student.before.map((_, c) => c)
  const chart = (title: string, before: number[], after: number[]) =>
    barChartSvg({ title, series: ['before', 'after'], groups: classes.map((c) => ({ label: name(c), values: [before[c] * 100, after[c] * 100] })), yMax: 100, yLabel: 'accuracy on V_p (%)' })
  const rows = classes
    .map((c) => {
      const d = (r.perClass.student.after[c] - r.perClass.student.before[c]) * 100
      const guarded = r.guardedStudentClasses.includes(c) ? 'guarded' : r.relabelledClasses.includes(c) ? 'relabelled by users' : 'not in users’ data'
      return `<tr><td>${esc(name(c))}</td><td>${guarded}</td><td>${pct(r.perClass.student.before[c])}</td><td>${pct(r.perClass.student.after[c])}</td><td class="${d < 0 ? 'bad' : ''}">${Number.isFinite(d) ? d.toFixed(1) : 'n/a'}</td><td>${pct(r.perClass.teacher.before[c])}</td><td>${pct(r.perClass.teacher.after[c])}</td></tr>`
    })
    .join('\n')
  const checks = r.checks.map((c) => `<tr><td>${c.passed ? '✔' : '✘'}</td><td>${esc(c.title)}</td><td>${c.measured}</td><td>${c.limit}</td><td>${esc(c.detail)}</td></tr>`).join('\n')
  const boards = r.boards.map((b) => `<tr><td>${esc(b.boardId)}</td><td>${pct(b.before)}</td><td>${pct(b.after)}</td></tr>`).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>QA report ${esc(r.candidateId)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:60rem}
table{border-collapse:collapse;margin:1rem 0}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}
.verdict{font-size:1.4rem;font-weight:bold}.pass{color:#15803d}.fail,.bad{color:#b91c1c}
</style></head><body>
<h1>QA report</h1>
<p class="verdict ${r.passed ? 'pass' : 'fail'}">${r.passed ? 'PASS: may roll out' : 'FAIL: nothing is flashed'}</p>
${r.reasons.length ? `<ul>${r.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
<p>Candidate student <code>${esc(r.candidateId)}</code> against <code>${esc(r.baseStudentId)}</code>; teacher <code>${esc(r.teacherBeforeId)}</code> → <code>${esc(r.teacherAfterId)}</code>. Generated ${esc(r.createdAt)}.</p>
<h2>Checks</h2>
<table><tr><th></th><th>Check</th><th>Measured</th><th>Limit</th><th>Detail</th></tr>${checks}</table>
<h2>Overall accuracy on V_p</h2>
<table><tr><th></th><th>Before</th><th>After</th></tr>
<tr><td>Student</td><td>${pct(r.overall.studentBefore)}</td><td>${pct(r.overall.studentAfter)}</td></tr>
<tr><td>Teacher</td><td>${pct(r.overall.teacherBefore)}</td><td>${pct(r.overall.teacherAfter)}</td></tr></table>
<p>Largest per-class drop of the student on V_p (collateral regression): ${r.maxClassDropPts.toFixed(1)} points. int8 agreement with the float student: ${pct(r.int8Agreement)}.</p>
<h2>Per class</h2>
${chart('Student accuracy per class', r.perClass.student.before, r.perClass.student.after)}
${chart('Teacher accuracy per class', r.perClass.teacher.before, r.perClass.teacher.after)}
<table><tr><th>Class</th><th>Gate</th><th>Student before</th><th>Student after</th><th>Δ points</th><th>Teacher before</th><th>Teacher after</th></tr>${rows}</table>
<h2>Boards (accuracy on their own test data, reported by the boards)</h2>
<table><tr><th>Board</th><th>Current student</th><th>Candidate</th></tr>${boards}</table>
</body></html>
`
}
