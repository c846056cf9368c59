import { hasWeights, inferShapes, weightName, type ModelSpec, type ModelWeights, type NamedTensor } from '../../../shared/model/spec'

/** Where one weight tensor lives inside a model's flat parameter vector. */
export interface ParamSlot {
  name: string
  shape: number[]
  offset: number
  size: number
}

/**
 * A model's parameters laid end to end in one Float32Array, in layer order, kernel before bias. Training
 * keeps parameters, gradients and Adam moments in this form (shared between worker threads).
 */
export interface ParamLayout {
  slots: ParamSlot[]
  total: number
}

export function paramLayout(spec: ModelSpec): ParamLayout {
  const shapes = inferShapes(spec).weights
  const slots: ParamSlot[] = []
  let offset = 0
  spec.layers.forEach((l, i) => {
    if (!hasWeights(l)) return
    ;(['kernel', 'bias'] as const).forEach((part, j) => {
      const shape = shapes[i][j]
      const size = shape.reduce((a, b) => a * b, 1)
      slots.push({ name: weightName(i, part), shape, offset, size })
      offset += size
    })
  })
  return { slots, total: offset }
}

/** Copies named weights into a flat vector; every slot must be present with its exact shape. */
export function flatten(layout: ParamLayout, weights: ModelWeights, into = new Float32Array(layout.total)): Float32Array {
  const byName = new Map(weights.tensors.map((t) => [t.name, t]))
  for (const s of layout.slots) {
    const t = byName.get(s.name)
    if (!t) throw new Error(`weights lack ${s.name} (shape [${s.shape}])`)
    if (t.shape.join() !== s.shape.join() || t.data.length !== s.size) {
      throw new Error(`weight ${s.name} has shape [${t.shape}] (${t.data.length} values); the model needs [${s.shape}]`)
    }
    into.set(t.data, s.offset)
  }
  return into
}

/** Named weights (copies) from a flat vector. */
export function unflatten(layout: ParamLayout, flat: Float32Array): ModelWeights {
  const tensors: NamedTensor[] = layout.slots.map((s) => ({ name: s.name, shape: s.shape.slice(), data: flat.slice(s.offset, s.offset + s.size) }))
  return { tensors }
}
