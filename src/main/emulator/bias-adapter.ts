import { decodeArtifact, isWeighted } from '../../shared/int8'
import type { Adapter, AdaptRequest, AdaptResult } from './adapter'
import { sampleOf } from './data'
import { argmax } from '../../shared/argmax'

/**
 * A small real adapter for boards that adapt their head: it learns a correction d of the last layer's
 * bias on the board's own training data, by gradient descent on
 *   mean CE(softmax(z(x) + d), y) + mu/2 * ||d||^2
 * where z(x) are the dispatched model's logits (the board's int8 model, dequantised). The bias adds to the
 * logits directly, so this is exact for the bias of the head and needs no backward pass through the
 * network. It shifts the model toward the user's class mix and labels: enough to carry real knowledge end
 * to end through the protocol. It needs no ml engine, so the protocol's tests use it; boards that run
 * rounds use the full proximal adaptation of head or all layers (src/main/emulator/board-adapter.ts).
 */
export class HeadBiasAdapter implements Adapter {
  async adapt(req: AdaptRequest): Promise<AdaptResult> {
    const m = decodeArtifact(req.artifact)
    let head = -1
    m.layers.forEach((l, i) => isWeighted(l) && (head = i))
    const last = m.layers[head]
    if (head < 0 || last.type !== 'dense') throw new Error('the head bias adapter needs a model that ends in a dense layer')
    const k = req.model.classes
    const size = req.model.inputSize
    const logitsOf = (split: AdaptRequest['data']['train']) => {
      const out: Float32Array[] = []
      for (let i = 0; i < split.n; i++) out.push(req.model.dequantizeOutput(req.model.run(req.model.quantize(sampleOf(split, i, size)))))
      return out
    }
    const train = logitsOf(req.data.train)
    const test = logitsOf(req.data.test)
    const d = new Float64Array(k)
    const p = new Float64Array(k)
    for (let epoch = 1; epoch <= req.epochs; epoch++) {
      if (req.signal.aborted) throw new Error('cancelled')
      const grad = new Float64Array(k)
      let loss = 0
      for (let i = 0; i < train.length; i++) {
        const z = train[i]
        let max = -Infinity
        for (let c = 0; c < k; c++) max = Math.max(max, z[c] + d[c])
        let sum = 0
        for (let c = 0; c < k; c++) sum += (p[c] = Math.exp(z[c] + d[c] - max))
        const y = req.data.train.y[i]
        loss -= Math.log(Math.max(1e-12, p[y] / sum))
        for (let c = 0; c < k; c++) grad[c] += p[c] / sum - (c === y ? 1 : 0)
      }
      const n = Math.max(1, train.length)
      for (let c = 0; c < k; c++) d[c] -= req.lr * (grad[c] / n + req.mu * d[c])
      req.progress(epoch, loss / n)
      await new Promise((r) => setImmediate(r)) // let the board's link breathe between epochs
    }
    const acc = (logits: Float32Array[], y: Int32Array, shift: Float64Array | null) => {
      let ok = 0
      logits.forEach((z, i) => (argmax(shift ? z.map((v, c) => v + shift[c]) : z) === y[i] ? ok++ : 0))
      return logits.length ? ok / logits.length : 0
    }
    return {
      tensors: [{ name: `${head}/bias`, shape: [k], values: Float32Array.from(d) }],
      accBefore: acc(test, req.data.test.y, null),
      accAfter: acc(test, req.data.test.y, d)
    }
  }
}
