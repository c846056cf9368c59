import type { ApiClient } from '../api'

let client: ApiClient | null = null

/** Installs the api client the stores use (main.ts installs the real one; tests a fake). */
export function provideApi(c: ApiClient): void {
  client = c
}

export function useApi(): ApiClient {
  if (!client) throw new Error('no api client installed: call provideApi() before using a store')
  return client
}
