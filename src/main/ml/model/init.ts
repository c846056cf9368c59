import { Rng } from '../../../shared/random'
import type { ModelSpec, ModelWeights } from '../../../shared/model/spec'
import { paramLayout, unflatten } from './layout'

/**
 * Fresh weights for a spec, reproducible from a seed: kernels He-uniform (limit sqrt(6 / fan_in), suited
 * to ReLU layers), biases zero. fan_in is the product of all kernel dimensions but the last, which
 * for a depthwise kernel [kh,kw,c,m] counts kh·kw·c although each output sees kh·kw inputs, so
 * depthwise kernels use kh·kw instead.
 */
export function initWeights(spec: ModelSpec, seed: number): ModelWeights {
  const layout = paramLayout(spec)
  const flat = new Float32Array(layout.total)
  const rng = new Rng(seed).fork('init')
  for (const s of layout.slots) {
    if (s.name.endsWith('/bias')) continue
    const layer = spec.layers[Number(s.name.split('/')[0])]
    const fanIn = layer.type === 'depthwiseConv2d' ? s.shape[0] * s.shape[1] : s.shape.slice(0, -1).reduce((a, b) => a * b, 1)
    const limit = Math.sqrt(6 / fanIn)
    for (let i = 0; i < s.size; i++) flat[s.offset + i] = (2 * rng.next() - 1) * limit
  }
  return unflatten(layout, flat)
}
