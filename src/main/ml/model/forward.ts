import { avgPool, fused, maxPool, mean, reshape, type Tensor, type Tensor2D, type Tensor4D } from '@tensorflow/tfjs-core'
import type { Activation, ModelSpec } from '../../../shared/model/spec'
import { weightName } from '../../../shared/model/spec'

/** Looks a weight tensor up by its name (`${layer}/kernel`, `${layer}/bias`). */
export type WeightSource = (name: string) => Tensor

const act = (a: Activation): 'linear' | 'relu' | 'relu6' => a

/**
 * The model as tf ops: x [batch, ...inputShape] -> logits [batch, classes]. Differentiable with respect
 * to the weights (and x). The same arithmetic as the tfjs-layers model built by layers.ts; training
 * uses this form because it has no per-call layer bookkeeping.
 */
export function forward(spec: ModelSpec, w: WeightSource, x: Tensor): Tensor2D {
  let h = x
  const batch = x.shape[0]
  spec.layers.forEach((l, i) => {
    const k = () => w(weightName(i, 'kernel'))
    const b = () => w(weightName(i, 'bias'))
    switch (l.type) {
      case 'dense':
        h = fused.matMul({ a: h as Tensor2D, b: k() as Tensor2D, bias: b(), activation: act(l.activation) })
        break
      case 'conv2d':
        h = fused.conv2d({ x: h as Tensor4D, filter: k() as Tensor4D, strides: l.strides, pad: l.padding, bias: b(), activation: act(l.activation) })
        break
      case 'depthwiseConv2d':
        h = fused.depthwiseConv2d({ x: h as Tensor4D, filter: k() as Tensor4D, strides: l.strides, pad: l.padding, bias: b(), activation: act(l.activation) })
        break
      case 'maxPool2d':
        h = maxPool(h as Tensor4D, l.pool, l.strides, l.padding)
        break
      case 'avgPool2d':
        h = avgPool(h as Tensor4D, l.pool, l.strides, l.padding)
        break
      case 'globalAvgPool2d':
        h = mean(h, [1, 2])
        break
      case 'flatten':
        h = reshape(h, [batch, -1])
        break
      case 'reshape':
        h = reshape(h, [batch, ...l.shape])
        break
    }
  })
  return h as Tensor2D
}
