/**
 * The whole API contract: every request the UI (or a script) can make and every event it can receive.
 * Each domain declares its methods and events in its own file; this file only gathers them.
 * Both hosts (Electron IPC and the web host's WebSocket) serve exactly this map.
 */
import type { z } from 'zod'
import type { MethodDef } from './define'
import { systemMethods, type SystemEvents } from './system'
import { jobMethods, type JobEvents } from './jobs'
import { fleetMethods, rolloutMethods, type FleetEvents } from './fleet'
import { datasetMethods, type DatasetEvents } from './datasets'
import { artifactMethods } from './artifacts'
import { boardMethods, type BoardEvents } from './boards'
import { mlMethods } from './ml'
import { direDiMethods } from './diredi'

export const methods = {
  ...systemMethods,
  ...jobMethods,
  ...fleetMethods,
  ...rolloutMethods,
  ...datasetMethods,
  ...artifactMethods,
  ...boardMethods,
  ...mlMethods,
  ...direDiMethods
} as const

export type Methods = typeof methods
export type MethodName = keyof Methods

/** What a caller passes (before defaults are applied). */
export type ParamsIn<M extends MethodName> = z.input<Methods[M]['params']>
/** What a handler receives (after validation and defaults). */
export type ParamsOut<M extends MethodName> = z.output<Methods[M]['params']>
export type ResultOf<M extends MethodName> = Methods[M] extends MethodDef<z.ZodType, infer R> ? R : never

export interface Events extends SystemEvents, JobEvents, FleetEvents, DatasetEvents, BoardEvents {}
export type EventName = keyof Events

export const methodNames = Object.keys(methods) as MethodName[]

export const isMethodName = (x: unknown): x is MethodName =>
  typeof x === 'string' && Object.prototype.hasOwnProperty.call(methods, x)
