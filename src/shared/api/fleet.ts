import { z } from 'zod'
import { method } from './define'
import type { BoardHistoryEntry, BoardRecord, BoardTelemetry, FleetPort, FleetPortEvent, MonitorLine, RolloutPlan, RolloutSummary } from './fleet-types'

const BoardId = z.string().min(1).max(128)
const Label = z.string().min(1).max(64)
const LogQuery = {
  boardId: BoardId.optional(),
  path: z.string().min(1).max(4096).optional(),
  contains: z.string().max(200).optional(),
  level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  limit: z.number().int().positive().max(100_000).optional()
}

export interface RolloutView {
  plan: RolloutPlan
  summary: RolloutSummary
}

export const fleetMethods = {
  'fleet.boards': method<BoardRecord[]>()(z.object({ group: Label.optional(), label: Label.optional() }).strict(), 'Every board the console has met, by stable id'),
  'fleet.board': method<BoardRecord>()(z.object({ id: BoardId }).strict(), 'One board'),
  'fleet.history': method<BoardHistoryEntry[]>()(z.object({ id: BoardId, limit: z.number().int().positive().max(100_000).optional() }).strict(), "A board's history: sightings, flashes, rollouts, jobs"),
  'fleet.label': method<BoardRecord>()(
    z.object({ id: BoardId, name: Label.optional(), labels: z.array(Label).max(32).optional(), group: Label.nullable().optional() }).strict(),
    'Name, label or group a board'
  ),
  'fleet.telemetry': method<BoardTelemetry>()(
    z.object({ id: BoardId }).strict(),
    "A board's inference telemetry: total count, mean latency, and the recent window's rate and latency (mean, p95, max); live updates follow as `fleet.telemetry` events"
  ),
  'fleet.telemetryAll': method<BoardTelemetry[]>()(z.object({}).strict(), 'Inference telemetry of every board that has run inferences'),
  'fleet.groups': method<string[]>()(z.object({}).strict(), 'Board groups in use'),
  'fleet.ports': method<FleetPort[]>()(z.object({}).strict(), 'Every port discovery knows now (then follow `fleet.port` events)'),
  'fleet.addPort': method<FleetPort>()(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    'Add a port the console opens and keeps open (also after a restart); OS ports are never probed unless added'
  ),
  'fleet.removePort': method<{ removed: true }>()(z.object({ path: z.string().min(1).max(4096) }).strict(), 'Forget an added port and close its session'),
  'fleet.logs': method<MonitorLine[]>()(z.object(LogQuery).strict(), "Serial monitor: a board's log lines (newest last), filtered"),
  'fleet.saveLog': method<{ file: string; lines: number }>()(
    z.object({ ...LogQuery, file: z.string().min(1).max(4096) }).strict(),
    'Serial monitor: save the matching log lines to a text file (absolute path)'
  )
}

/** Rollouts: flash an artifact to boards by id (through their sessions), persisted and resumable. */
export const rolloutMethods = {
  'fleet.rollout': method<{ jobId: string; boards: number }>()(
    z
      .object({
        artifactId: z.string().min(1),
        group: Label.optional(),
        boards: z.array(BoardId).min(1).max(10_000).optional(),
        concurrency: z.number().int().min(1).max(256).default(4),
        waveSize: z.number().int().min(1).optional(),
        abortAfter: z.number().int().min(1).nullable().default(null)
      })
      .strict()
      .refine((r) => (r.group === undefined) !== (r.boards === undefined), { message: 'name either a group or a list of boards' }),
    'Flash an artifact to a group in waves, stopping at a failure threshold'
  ),
  'fleet.rollouts': method<RolloutView[]>()(z.object({}).strict(), 'Rollouts, newest first, with per-board state'),
  'fleet.rolloutGet': method<RolloutView>()(z.object({ id: z.string().min(1) }).strict(), 'One rollout')
}

export interface FleetEvents {
  'fleet.rollout': RolloutView
  'fleet.board': BoardRecord
  'fleet.port': FleetPortEvent
  /** A board's telemetry changed (at most about once a second per board). */
  'fleet.telemetry': BoardTelemetry
}
