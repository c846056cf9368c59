/** Where each DiReDi page lives (ids are safe file names, encoded anyway). */
export const roundPath = (id: string) => `/diredi/rounds/${encodeURIComponent(id)}`
export const roundQaPath = (id: string) => `${roundPath(id)}/qa`
export const experimentPath = (id: string) => `/diredi/experiments/${encodeURIComponent(id)}`
export const jobPath = (id: string) => `/jobs/${encodeURIComponent(id)}`
