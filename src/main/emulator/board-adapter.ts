import { decodeArtifact, dequantizeModel } from '../../shared/int8'
import type { Adapter, AdaptRequest, AdaptResult } from './adapter'
import type { MlPool } from '../ml/worker/pool'
import { argmax } from '../../shared/argmax'
import { sampleOf } from './data'
import { accuracy, adaptedNames, diff, logits, train } from '../ml/engine'

/**
 * Reverse distillation on a board (docs/method.md §3): the board starts from the float weights its int8
 * model stands for (theta_r, dequantised from the artifact it runs), trains the layers it may adapt on its
 * own training data with the proximal anchor mu/2 * ||theta - theta_r||^2, and returns theta_b - theta_r
 * for those layers, with the accuracy on its own test data of the int8 model it runs and of the adapted one. Only parameters and two
 * aggregate figures leave this function; the data stays in `req.data`.
 *
 * The arithmetic runs on the console's ml worker pool: a virtual board borrows the machine it is emulated
 * on. A real board runs the same algorithm in its firmware.
 */
export class MlBoardAdapter implements Adapter {
  constructor(
    private readonly pool: MlPool,
    private readonly o: { batchSize?: number } = {}
  ) {}

  async adapt(req: AdaptRequest): Promise<AdaptResult> {
    if (req.layers === 'tutor') return this.tutor(req)
    const base = dequantizeModel(decodeArtifact(req.artifact))
    const names = adaptedNames(base.spec, req.layers === 'head' ? 'head' : 'all')
    const adapted = await train(this.pool, {
      spec: base.spec,
      init: base.weights,
      anchor: base.weights,
      mu: req.mu,
      data: req.data.train,
      epochs: req.epochs,
      lr: req.lr,
      batchSize: this.o.batchSize ?? 32,
      seed: req.seed,
      headOnly: req.layers === 'head',
      signal: req.signal,
      onEpoch: (e, loss) => req.progress(e, loss)
    })
    const delta = diff(adapted.weights, base.weights, names)
    const shapes = new Map(base.weights.tensors.map((t) => [t.name, t.shape]))
    return {
      tensors: [...delta.entries()].map(([name, values]) => ({ name, shape: shapes.get(name) as number[], values })),
      accBefore: runningAccuracy(req),
      accAfter: await accuracy(this.pool, adapted, req.data.test)
    }
  }

  /**
   * The tutor form (docs/method.md §8): two copies of the teacher's architecture,
   * both starting from the staged teacher's weights; tutor A learns the dispatched student's outputs on the
   * board's inputs (the "reverse" direction), tutor B the user's labels (both with the proximal anchor to the
   * teacher). The knowledge is theta_B - theta_A in the teacher's weight space: what the user's labels
   * teach beyond what the student already says.
   */
  private async tutor(req: AdaptRequest): Promise<AdaptResult> {
    if (!req.tutor) throw new Error('the tutor form needs the teacher staged on the board')
    const student = dequantizeModel(decodeArtifact(req.artifact))
    const teacher = dequantizeModel(decodeArtifact(req.tutor.artifact))
    const common = { spec: teacher.spec, init: teacher.weights, data: req.data.train, epochs: req.epochs, lr: req.lr, batchSize: this.o.batchSize ?? 32, seed: req.seed, signal: req.signal }
    const studentSays = await logits(this.pool, student, req.data.train)
    const a = await train(this.pool, { ...common, targetLogits: studentSays, alpha: 0, anchor: teacher.weights, mu: req.mu, onEpoch: (e, loss) => req.progress(e, loss) })
    const b = await train(this.pool, { ...common, anchor: teacher.weights, mu: req.mu })
    const delta = diff(b.weights, a.weights, teacher.weights.tensors.map((t) => t.name))
    const shapes = new Map(teacher.weights.tensors.map((t) => [t.name, t.shape]))
    return {
      tensors: [...delta.entries()].map(([name, values]) => ({ name, shape: shapes.get(name) as number[], values })),
      accBefore: runningAccuracy(req),
      accAfter: await accuracy(this.pool, b, req.data.test)
    }
  }
}

/** Accuracy of the model the board runs (its int8 S_r) on its own test data: what EVAL_PRIVATE reports too. */
function runningAccuracy(req: AdaptRequest): number {
  const { model, data } = req
  let ok = 0
  for (let i = 0; i < data.test.n; i++) {
    const out = model.run(model.quantize(sampleOf(data.test, i, model.inputSize)))
    if (argmax(out) === data.test.y[i]) ok++
  }
  return data.test.n ? ok / data.test.n : 0
}
