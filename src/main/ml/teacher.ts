import type { LayerSpec, ModelSpec } from '../../shared/model/spec'

/**
 * The teacher the console trains when asked to: for images [h, w, c] (at least 8x8) a small VGG-like
 * CNN, conv 3x3·32 -> max-pool -> conv 3x3·64 -> max-pool -> dense 128 -> logits (about 0.4M
 * parameters, ~98-99% on the mnist digits); for flat features an MLP 512-256.
 */
export function defaultTeacherSpec(inputShape: number[], classes: number): ModelSpec {
  const relu = 'relu' as const
  const dense = (units: number, activation: 'relu' | 'linear' = relu): LayerSpec => ({ type: 'dense', units, activation })
  if (inputShape.length === 3 && inputShape[0] >= 8 && inputShape[1] >= 8) {
    const conv = (filters: number): LayerSpec => ({ type: 'conv2d', filters, kernel: [3, 3], strides: [1, 1], padding: 'same', activation: relu })
    const pool: LayerSpec = { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'valid' }
    return { inputShape, classes, layers: [conv(32), pool, conv(64), pool, { type: 'flatten' }, dense(128), dense(classes, 'linear')] }
  }
  const flat: LayerSpec[] = inputShape.length === 1 ? [] : [{ type: 'flatten' }]
  return { inputShape, classes, layers: [...flat, dense(512), dense(256), dense(classes, 'linear')] }
}
