import type { JobInfo } from '../../../shared/api/jobs'
import type { DistillResult, EvalReport, TeacherTrainResult } from '../../../shared/api/ml'

/** Human text for the ml commands (the CLI's non-JSON output). */
export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(2)}%`)

export function teacherSummary(r: TeacherTrainResult, job: JobInfo): string {
  return [
    `teacher   ${r.model.id} "${r.model.name}", ${r.model.params} parameters`,
    `accuracy  ${pct(r.testAccuracy)} on the test split (validation ${pct(r.valAccuracy)})`,
    `training  ${r.epochs} epochs (${r.ended}) in ${r.seconds.toFixed(1)} s on ${r.backend}, ${r.workers} workers; job ${job.id}`
  ].join('\n')
}

export function distillSummary(r: DistillResult, job: JobInfo): string {
  const f = r.plan.footprint
  return [
    `student   ${r.model.id} "${r.model.name}": ${r.plan.name}, ${r.model.params} parameters`,
    `board     ${f.weightsKb} KB int8 weights (budget ${r.plan.budget.weightsKb} KB), ${f.ramKb} KB activation RAM${r.plan.budget.ramKb === null ? '' : ` (budget ${r.plan.budget.ramKb} KB)`}, ${f.macs} MACs`,
    `accuracy  ${pct(r.testAccuracy)} on the test split; agrees with teacher ${r.teacherId} on ${pct(r.agreement)}`,
    `training  ${r.epochs} epochs (${r.ended}) in ${r.seconds.toFixed(1)} s on ${r.backend}, ${r.workers} workers; job ${job.id}`
  ].join('\n')
}

export function evalSummary(r: EvalReport): string {
  const lines = [`model ${r.modelId} on ${r.datasetId} (${r.split}, ${r.n} samples): accuracy ${pct(r.accuracy)}${r.agreement ? `, agreement with ${r.agreement.referenceId} ${pct(r.agreement.rate)}` : ''}`]
  lines.push('per class ' + r.perClass.map((c) => `${c.name}:${pct(c.accuracy)}`).join('  '))
  if (r.confusion.length <= 20) {
    lines.push('confusion (rows true, columns predicted):')
    const w = Math.max(4, ...r.confusion.flat().map((v) => String(v).length + 1))
    for (const [i, row] of r.confusion.entries()) lines.push(`${(r.perClass[i]?.name ?? String(i)).padStart(6)} ${row.map((v) => String(v).padStart(w)).join('')}`)
  }
  return lines.join('\n')
}
