import { AppError } from '../core/errors'
import { inferShapes, type ModelSpec, type NamedTensor, type SpecModel, weightName } from '../../shared/model/spec'
import { asBytes } from './io'
import { hashParts } from './names'

/** JSON with object keys sorted at every level: equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    }
    return v
  })
}

const bad = (msg: string) => new AppError('MODEL_INVALID', msg)

/**
 * The model's tensors in spec order (for each layer with weights: kernel, then bias), checked against
 * the shapes the spec implies. Throws MODEL_INVALID naming the first tensor that is missing, extra,
 * misshapen or holds a non-finite value.
 */
export function orderTensors(model: SpecModel): NamedTensor[] {
  let shapes
  try {
    shapes = inferShapes(model.spec)
  } catch (e) {
    throw bad(`the model spec is inconsistent: ${(e as Error).message}`)
  }
  const given = new Map(model.weights.tensors.map((t) => [t.name, t]))
  if (given.size !== model.weights.tensors.length) throw bad('the model has two weight tensors with the same name; names must be unique')
  const out: NamedTensor[] = []
  shapes.weights.forEach((ws, i) => {
    ws.forEach((shape, j) => {
      const name = weightName(i, j === 0 ? 'kernel' : 'bias')
      const t = given.get(name)
      if (!t) throw bad(`weight ${name} (shape [${shape}]) is missing; layer ${i} (${model.spec.layers[i].type}) needs it`)
      const size = shape.reduce((a, b) => a * b, 1)
      if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k]) || t.data.length !== size) {
        throw bad(`weight ${name} has shape [${t.shape}] and ${t.data.length} values; the spec needs [${shape}] (${size} values)`)
      }
      for (let k = 0; k < t.data.length; k++) {
        if (!Number.isFinite(t.data[k])) throw bad(`weight ${name} holds ${t.data[k]} at index ${k}; a model must hold finite numbers`)
      }
      out.push(t)
      given.delete(name)
    })
  })
  if (given.size) throw bad(`weights ${[...given.keys()].join(', ')} belong to no layer of the spec; remove them`)
  return out
}

/** SHA-256 over the canonical spec and every tensor (name, shape, float32 bytes) in spec order. */
export function modelHash(spec: ModelSpec, tensors: NamedTensor[]): string {
  const parts: Array<string | Uint8Array> = [canonicalJson({ v: 1, spec })]
  for (const t of tensors) parts.push(`${t.name}:${t.shape.join('x')}`, asBytes(t.data))
  return hashParts(parts)
}
