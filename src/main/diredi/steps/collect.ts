import type { InboxRecord, RoundBoard } from '../../../shared/api/diredi'
import { decodeArtifact, dequantizeModel } from '../../../shared/int8'
import type { SpecModel } from '../../../shared/model/spec'
import type { SignedKnowledge } from '../../../shared/wire/knowledge'
import type { BoardSession } from '../../boards/session'
import { addDelta, weightShapes } from '../../ml/engine'
import { stageTeacher } from '../fleet-ops'
import { collectKnowledge, deltaOf } from '../knowledge'
import { pct } from '../qa'
import { artifactFor, type ArtifactRef } from '../setup'
import { KnowledgeInbox } from '../validate'
import type { Round } from './context'

/** What steps 3 and 4 leave for the console: the accepted knowledge and the boards' rebuilt students. */
export interface Collection {
  /** Every message judged this round, accepted or refused, for the report. */
  inboxRecords: InboxRecord[]
  accepted: SignedKnowledge[]
  /** Accepted knowledge in the student's weight space, and the tutors' (docs/method.md §8). */
  studentK: SignedKnowledge[]
  tutorK: SignedKnowledge[]
  /** S_r as the boards started from it (dequantised from A_r's bytes). */
  sr: SpecModel
  /** S_b = S_r + delta_b of each accepted student-form board. */
  adapted: Map<string, SpecModel>
  knowledgeBytes: number
}

/**
 * Steps 3 and 4 (docs/method.md §3, §4): every board adapts in its form and uploads signed knowledge over
 * the one knowledge path; the inbox judges each message (digest, signature, base, shapes, ...). A tutor
 * board first gets the teacher's artifact staged. A board that fails is recorded and the round goes on.
 */
export async function collect(r: Round): Promise<Collection> {
  const { deps, fleet, start, mode, ctx, base, rows, ledger } = r
  const { part, settings: st, scenario } = base
  const teacherArtifact = fleet.ids.some((b) => mode.form(b) === 'tutor') ? await artifactFor(deps, start.teacher, part, ctx.signal) : null
  const known = new Map([[start.artifact.hash, weightShapes(start.student.model.spec)]])
  if (teacherArtifact) known.set(teacherArtifact.hash, weightShapes(start.teacher.model.spec))
  const inbox = new KnowledgeInbox({ keyOf: (b) => fleet.keys.get(b) ?? null, shapesOf: (h) => known.get(h) ?? null, maxNorm: 1000 })
  let done = 0
  for (const bid of fleet.ids) {
    const form = mode.form(bid)
    const row = rows.get(bid) as RoundBoard
    try {
      let baseHash = Buffer.from(start.artifact.hash, 'hex')
      if (form === 'tutor') {
        await stageTeacher(fleet, bid, (teacherArtifact as ArtifactRef).bytes, ctx.signal)
        baseHash = Buffer.from((teacherArtifact as ArtifactRef).hash, 'hex')
      }
      const lr = form === 'head' ? st.boardLrHead : st.boardLr
      ctx.log(`${bid}: adapting (${form}, ${st.boardEpochs} epochs, lr ${lr}, mu ${mode.mu ?? st.mu})`)
      const v = await collectKnowledge(
        fleet.sessions.get(bid) as BoardSession,
        inbox,
        new Uint8Array(baseHash),
        { layers: form, epochs: st.boardEpochs, lr, mu: mode.mu ?? st.mu, clip: st.clip, sigma: st.sigma, seed: scenario.seed + mode.number },
        (e, n) => ctx.progress(0.08 + (0.4 * (done + e / n)) / fleet.ids.length)
      )
      if (v.ok) {
        row.knowledgeBytes = v.blob.length
        row.accAdapted = v.knowledge.body.accAfter
        ledger.knowledge(bid, v.blob.length)
        ctx.log(`${bid}: knowledge accepted (${v.blob.length} bytes, |delta| ${v.norm.toFixed(3)}, board accuracy ${pct(v.knowledge.body.accBefore)} -> ${pct(v.knowledge.body.accAfter)})`)
      } else ctx.log(`${bid}: knowledge refused (${v.code}): ${v.reason}`)
    } catch (e) {
      if (ctx.signal.aborted) throw e
      row.error = (e as Error).message
      inbox.failed(bid, row.error)
      ctx.log(`${bid}: no knowledge: ${row.error}`)
    }
    done++
  }
  ctx.progress(0.48)
  const accepted = inbox.accepted
  const inboxRecords: InboxRecord[] = inbox.log.map((e) => {
    const k = e.accepted ? accepted.find((a) => a.body.boardId === e.boardId) : undefined
    return { ...e, ...(k ? { deltaNorm: k.body.deltaNorm, nTrain: k.body.nTrain, accBefore: k.body.accBefore, accAfter: k.body.accAfter, form: k.body.layers === 'tutor' ? ('tutor' as const) : ('student' as const) } : {}) }
  })
  // S_b = S_r + delta_b, from the very bytes the boards started from.
  const sr = dequantizeModel(decodeArtifact(start.artifact.bytes))
  const studentK = accepted.filter((k) => k.body.layers !== 'tutor')
  const tutorK = accepted.filter((k) => k.body.layers === 'tutor')
  const adapted = new Map(studentK.map((k) => [k.body.boardId, { spec: sr.spec, weights: addDelta(sr.weights, deltaOf(k)) }]))
  const knowledgeBytes = accepted.reduce((a, k) => a + (rows.get(k.body.boardId)?.knowledgeBytes ?? 0), 0)
  return { inboxRecords, accepted, studentK, tutorK, sr, adapted, knowledgeBytes }
}
