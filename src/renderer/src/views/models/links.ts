/** Addresses of the Models pages, in one place so views and links agree. */
export const datasetPath = (id: string) => `/models/datasets/${encodeURIComponent(id)}`
export const modelPath = (id: string) => `/models/m/${encodeURIComponent(id)}`
export const artifactPath = (id: string) => `/models/artifacts?highlight=${encodeURIComponent(id)}`
export const jobPath = (id: string) => `/jobs/${encodeURIComponent(id)}`
