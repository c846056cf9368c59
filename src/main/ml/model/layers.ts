import { tensor } from '@tensorflow/tfjs-core'
import { layers, sequential, type LayersModel, type Sequential } from '@tensorflow/tfjs-layers'
import type { LayerSpec, SpecModel } from '../../../shared/model/spec'
import { paramLayout, flatten } from './layout'

/** One tfjs-layers layer for a spec layer (the first carries the model's input shape). */
function toLayer(l: LayerSpec, i: number, inputShape?: number[]) {
  const base = { name: `l${i}_${l.type}`, ...(inputShape ? { inputShape } : {}) }
  switch (l.type) {
    case 'dense':
      return layers.dense({ ...base, units: l.units, activation: l.activation })
    case 'conv2d':
      return layers.conv2d({ ...base, filters: l.filters, kernelSize: l.kernel, strides: l.strides, padding: l.padding, activation: l.activation })
    case 'depthwiseConv2d':
      return layers.depthwiseConv2d({ ...base, kernelSize: l.kernel, strides: l.strides, padding: l.padding, depthMultiplier: l.depthMultiplier, activation: l.activation })
    case 'maxPool2d':
      return layers.maxPooling2d({ ...base, poolSize: l.pool, strides: l.strides, padding: l.padding })
    case 'avgPool2d':
      return layers.averagePooling2d({ ...base, poolSize: l.pool, strides: l.strides, padding: l.padding })
    case 'globalAvgPool2d':
      return layers.globalAveragePooling2d(base)
    case 'flatten':
      return layers.flatten(base)
    case 'reshape':
      return layers.reshape({ ...base, targetShape: l.shape })
  }
}

/**
 * A tfjs-layers Sequential model with the spec's layers and weights (same layouts, no transposes).
 * The caller owns it and disposes it (`model.dispose()`).
 */
export function toLayersModel(m: SpecModel): Sequential {
  const model = sequential()
  m.spec.layers.forEach((l, i) => model.add(toLayer(l, i, i === 0 ? m.spec.inputShape : undefined)))
  const layout = paramLayout(m.spec)
  const flat = flatten(layout, m.weights)
  for (let i = 0; i < m.spec.layers.length; i++) {
    const slots = layout.slots.filter((s) => s.name.startsWith(`${i}/`))
    if (slots.length === 0) continue
    const ts = slots.map((s) => tensor(flat.subarray(s.offset, s.offset + s.size).slice(), s.shape))
    model.layers[i].setWeights(ts)
    for (const t of ts) t.dispose()
  }
  return model
}

export type { LayersModel }
