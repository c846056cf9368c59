import { add, cast, div, lessEqual, matMul, mul, relu, relu6, reshape, softmax, step, sub, sum, tidy, type Scalar, type Tensor, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs-core'
import { weightName, type Activation, type ModelSpec } from '../../../shared/model/spec'
import { distillLoss, type LossOptions } from './loss'

/** True for a chain of dense layers (after any leading flatten/reshape): what `denseGradients` handles. */
export function isDenseChain(spec: ModelSpec): boolean {
  const first = spec.layers.findIndex((l) => l.type !== 'flatten' && l.type !== 'reshape')
  return first >= 0 && spec.layers.slice(first).every((l) => l.type === 'dense')
}

/** dL/dz of an activation given dL/dh and z (the same masks as tfjs' relu and relu6 gradients). */
function throughActivation(a: Activation, dh: Tensor2D, z: Tensor2D): Tensor2D {
  if (a === 'linear') return dh
  if (a === 'relu') return mul(dh, step(z))
  return mul(dh, mul(step(z), cast(lessEqual(z, 6), 'float32')))
}

/**
 * Loss and gradients of a dense chain, written out instead of taped: the same numbers as autodiff
 * of distillLoss(forward(...)) (a test checks it) with about a sixth of the kernel calls, which is
 * what a small step on WASM spends much of its time on. Gradient of the loss with respect to the
 * logits s of row i:
 *   w_i / denominator · [ alpha·(softmax(s) - y) + (1 - alpha)·tau·(softmax(s/tau) - softmax(t/tau)) ]
 * then dW = hᵀ·dz, db = Σ_rows dz, dh = dz·Wᵀ, through each activation. x: [n, ...inputShape].
 * Returns the gradients in layer order, kernel before bias (the flat layout's order).
 */
export function denseGradients(spec: ModelSpec, w: (name: string) => Tensor, x: Tensor, oneHot: Tensor2D, weights: Tensor1D, teacher: Tensor2D | null, o: LossOptions): { loss: Scalar; logits: Tensor2D; grads: Tensor[] } {
  return tidy(() => {
    const n = x.shape[0]
    const dense = spec.layers.map((l, i) => ({ l, i })).filter((d) => d.l.type === 'dense')
    const hs: Tensor2D[] = [reshape(x, [n, -1])]
    const zs: Tensor2D[] = []
    for (const { l, i } of dense) {
      const z = add(matMul(hs[hs.length - 1], w(weightName(i, 'kernel')) as Tensor2D), w(weightName(i, 'bias'))) as Tensor2D
      zs.push(z)
      const a = (l as { activation: Activation }).activation
      hs.push(a === 'linear' ? z : a === 'relu' ? relu(z) : relu6(z))
    }
    const logits = hs[hs.length - 1]
    const loss = distillLoss(logits, oneHot, weights, teacher, o)
    const alpha = teacher ? o.alpha : 1
    let ds = mul(sub(softmax(logits), oneHot), alpha) as Tensor2D
    if (teacher && alpha < 1) ds = add(ds, mul(sub(softmax(div(logits, o.tau)), softmax(div(teacher, o.tau))), (1 - alpha) * o.tau)) as Tensor2D
    let dh = mul(ds, reshape(div(weights, o.denominator), [n, 1])) as Tensor2D
    const grads: Tensor[] = []
    for (let k = dense.length - 1; k >= 0; k--) {
      const { l, i } = dense[k]
      const dz = throughActivation((l as { activation: Activation }).activation, dh, zs[k])
      grads.unshift(matMul(hs[k], dz, true, false), sum(dz, 0))
      if (k > 0) dh = matMul(dz, w(weightName(i, 'kernel')) as Tensor2D, false, true)
    }
    return { loss, logits, grads }
  })
}
