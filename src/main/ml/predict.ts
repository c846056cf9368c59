import type { SpecModel } from '../../shared/model/spec'
import { flatten, paramLayout } from './model/layout'
import { share } from './train/share'
import type { MlPool } from './worker/pool'

/**
 * Logits of n samples (x: n · prod(inputShape), shared or not) on every worker of the pool: each
 * computes a contiguous share of the rows. Returns rows · classes values in shared memory.
 */
export async function predictLogits(pool: MlPool, model: SpecModel, x: Float32Array, n: number): Promise<Float32Array> {
  const xs = x.buffer instanceof SharedArrayBuffer ? x : copyShared(x)
  const params = copyShared(flatten(paramLayout(model.spec), model.weights))
  const out = new Float32Array(new SharedArrayBuffer(n * model.spec.classes * 4))
  await Promise.all(
    Array.from({ length: pool.size }, (_, i) => {
      const [lo, hi] = share(n, i, pool.size)
      return hi > lo ? pool.call<'predict'>(i, { op: 'predict', spec: model.spec, params, x: xs, lo, hi, out }) : null
    })
  )
  return out
}

function copyShared(a: Float32Array): Float32Array {
  const s = new Float32Array(new SharedArrayBuffer(a.length * 4))
  s.set(a)
  return s
}
