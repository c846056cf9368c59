import type { ArtifactRecord, DatasetRecord, ModelRecord } from '../../../shared/model/records'

/** Record builders for store and component tests: plausible defaults, overridden per test. */
export const dataset = (id: string, over: Partial<DatasetRecord> = {}): DatasetRecord => ({
  id, name: id, hash: `${id}-hash`.padEnd(64, '0'), format: 'builtin', inputShape: [28, 28, 1], classes: 3, classNames: ['a', 'b', 'c'],
  splits: { train: 30, test: 6 }, classCounts: [10, 12, 8], source: ['test'], createdAt: '2026-01-01T00:00:00Z', ...over
})

export const model = (id: string, over: Partial<ModelRecord> = {}): ModelRecord => ({
  id, kind: id.startsWith('s-') ? 'student' : 'teacher', name: id, hash: `${id}-hash`.padEnd(64, '0'),
  spec: { inputShape: [4], classes: 3, layers: [{ type: 'dense', units: 5, activation: 'relu' }, { type: 'dense', units: 3, activation: 'linear' }] },
  params: 43, lineage: {}, metrics: {}, meta: {}, createdAt: '2026-01-01T00:00:00Z', ...over
})

export const artifact = (id: string, modelId: string, over: Partial<ArtifactRecord> = {}): ArtifactRecord => ({
  id, hash: `${id}-hash`.padEnd(64, '0'), modelId, bytes: 2048, format: 'diredi-int8', formatVersion: 1, metrics: {}, createdAt: '2026-01-01T00:00:00Z', ...over
})
