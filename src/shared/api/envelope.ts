import { z } from 'zod'

/**
 * The messages the web host and the renderer exchange over one WebSocket. (Electron IPC carries the
 * same request/response pair through ipcRenderer.invoke, so it needs no envelope.)
 *
 *   client -> host  { t: 'req', id, method, params }
 *   host -> client  { t: 'res', id, result }            result: Result<unknown>
 *   host -> client  { t: 'evt', name, payload }
 */
export const ClientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('req'), id: z.number().int().nonnegative(), method: z.string().max(200), params: z.unknown().optional() })
])
export type ClientMessage = z.infer<typeof ClientMessage>

export type HostMessage =
  | { t: 'res'; id: number; result: unknown }
  | { t: 'evt'; name: string; payload: unknown }

/** IPC channel names used by the Electron host and the preload. */
export const IPC_INVOKE = 'diredi:invoke'
export const IPC_EVENT = 'diredi:event'
