import { z } from 'zod'
import { method } from './define'

export type BackendName = 'tensorflow' | 'wasm' | 'cpu'

export interface BackendInfo {
  /** The backend tfjs uses (or would use) for training and bulk inference. */
  name: BackendName
  /** Why the better backends were not taken, one entry each, e.g. "tensorflow: @tensorflow/tfjs-node did not load (...)". */
  fallbacks: string[]
  /** Worker threads the engine runs training on. */
  workers: number
}

export interface SystemStatus {
  version: string
  dataDir: string
  backend: BackendInfo
  host: 'electron' | 'web' | 'cli'
  node: string
  platform: string
  startedAt: string
  pid: number
}

export const systemMethods = {
  'system.status': method<SystemStatus>()(z.object({}).strict(), 'Version, data directory, backend and host of this console'),
  'system.ping': method<{ pong: true; at: string }>()(z.object({}).strict(), 'Round trip check')
}

export interface SystemEvents {
  /** A line for the console's own log view. */
  'system.log': { level: 'info' | 'warn' | 'error'; message: string; at: string }
}
