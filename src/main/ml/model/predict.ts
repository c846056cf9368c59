import { dispose, tidy } from '@tensorflow/tfjs-core'
import type { ModelSpec } from '../../../shared/model/spec'
import { gatherRows, weightTensors } from '../train/batch'
import { forward } from './forward'
import { paramLayout } from './layout'

const BATCH = 256

/** Writes the logits of rows [lo, hi) of x (rows · prod(inputShape)) into out (rows · classes). */
export function predictRows(spec: ModelSpec, params: Float32Array, x: Float32Array, lo: number, hi: number, out: Float32Array): void {
  const w = weightTensors(paramLayout(spec), params)
  try {
    for (let r = lo; r < hi; r += BATCH) {
      const n = Math.min(BATCH, hi - r)
      const rows = Int32Array.from({ length: n }, (_, i) => r + i)
      const logits = tidy(() => forward(spec, (name) => w.get(name)!, gatherRows(x, rows, spec)).dataSync())
      out.set(logits as Float32Array, r * spec.classes)
    }
  } finally {
    dispose([...w.values()])
  }
}
