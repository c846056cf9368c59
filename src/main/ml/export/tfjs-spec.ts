/**
 * A SpecModel as a tfjs LayersModel, and back: the float ground truth the exporters and the quantiser
 * are tested against (and the small trainer of their tests). One tfjs layer per spec layer, so layer
 * indices and weight names (`${i}/kernel`, `${i}/bias`) line up.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import '@tensorflow/tfjs-backend-cpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { wasmDir } from '../backend'
import { hasWeights, inferShapes, weightName, type LayerSpec, type ModelSpec, type SpecModel } from '../../../shared/model/spec'

/** The pure-JS backend: exact float32, available everywhere (tests use it for reproducible numbers). */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu')
  await tf.ready()
}

/** The WASM backend (XNNPACK): several times faster for training dense models than the CPU backend. */
export async function useWasmBackend(): Promise<void> {
  const dir = wasmDir()
  if (!dir) throw new Error('the tfjs WASM backend files are missing')
  setWasmPaths(dir)
  await tf.setBackend('wasm')
  await tf.ready()
}

function toLayer(l: LayerSpec, first: boolean, inputShape: number[], seed: number): tfl.layers.Layer {
  const base = first ? { inputShape } : {}
  const init = { kernelInitializer: tfl.initializers.glorotUniform({ seed }), biasInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed + 1 }) }
  switch (l.type) {
    case 'dense':
      return tfl.layers.dense({ ...base, ...init, units: l.units, activation: l.activation })
    case 'conv2d':
      return tfl.layers.conv2d({ ...base, ...init, filters: l.filters, kernelSize: l.kernel, strides: l.strides, padding: l.padding, activation: l.activation })
    case 'depthwiseConv2d':
      return tfl.layers.depthwiseConv2d({ ...base, depthwiseInitializer: init.kernelInitializer, biasInitializer: init.biasInitializer, kernelSize: l.kernel, strides: l.strides, padding: l.padding, depthMultiplier: l.depthMultiplier, activation: l.activation })
    case 'maxPool2d':
      return tfl.layers.maxPooling2d({ ...base, poolSize: l.pool, strides: l.strides, padding: l.padding })
    case 'avgPool2d':
      return tfl.layers.averagePooling2d({ ...base, poolSize: l.pool, strides: l.strides, padding: l.padding })
    case 'globalAvgPool2d':
      return tfl.layers.globalAveragePooling2d({ ...base })
    case 'flatten':
      return tfl.layers.flatten({ ...base })
    case 'reshape':
      return tfl.layers.reshape({ ...base, targetShape: l.shape })
  }
}

/** A freshly initialised (seeded) tfjs model of `spec`. */
export function toLayersModel(spec: ModelSpec, seed = 1): tfl.Sequential {
  inferShapes(spec)
  const m = tfl.sequential()
  spec.layers.forEach((l, i) => m.add(toLayer(l, i === 0, spec.inputShape, seed + 10 * i)))
  return m
}

/** Copies the SpecModel's weights into a tfjs model built by toLayersModel. */
export function setSpecWeights(lm: tfl.LayersModel, model: SpecModel): void {
  model.spec.layers.forEach((l, i) => {
    if (!hasWeights(l)) return
    const get = (part: 'kernel' | 'bias') => {
      const t = model.weights.tensors.find((w) => w.name === weightName(i, part))
      if (!t) throw new Error(`weight ${weightName(i, part)} is missing`)
      return tf.tensor(t.data, t.shape)
    }
    const ws = [get('kernel'), get('bias')]
    lm.layers[i].setWeights(ws)
    tf.dispose(ws)
  })
}

/** The weights of a tfjs model built by toLayersModel, as a SpecModel. */
export function readSpecModel(lm: tfl.LayersModel, spec: ModelSpec): SpecModel {
  const tensors = spec.layers.flatMap((l, i) => {
    if (!hasWeights(l)) return []
    const [k, b] = lm.layers[i].getWeights()
    return [
      { name: weightName(i, 'kernel'), shape: k.shape.slice(), data: new Float32Array(k.dataSync()) },
      { name: weightName(i, 'bias'), shape: b.shape.slice(), data: new Float32Array(b.dataSync()) }
    ]
  })
  return { spec, weights: { tensors } }
}

/** Logits of n samples (x: n * prod(inputShape)). */
export function predictTf(lm: tfl.LayersModel, spec: ModelSpec, x: Float32Array): Float32Array {
  const n = x.length / spec.inputShape.reduce((a, b) => a * b, 1)
  return tf.tidy(() => {
    const y = lm.predict(tf.tensor(x, [n, ...spec.inputShape])) as tf.Tensor
    return new Float32Array(y.dataSync())
  })
}

/**
 * Trains with softmax cross-entropy on logits and Adam, without shuffling (reproducible on the CPU
 * backend). y: n integer labels.
 */
export async function trainTf(lm: tfl.LayersModel, spec: ModelSpec, x: Float32Array, y: Int32Array, opts: { epochs: number; batchSize: number; learningRate: number }): Promise<void> {
  const n = y.length
  const xs = tf.tensor(x, [n, ...spec.inputShape])
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), spec.classes)
  lm.compile({ optimizer: tf.train.adam(opts.learningRate), loss: (t: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(t, p) })
  try {
    await lm.fit(xs, ys, { epochs: opts.epochs, batchSize: opts.batchSize, shuffle: false, verbose: 0 })
  } finally {
    tf.dispose([xs, ys])
  }
}
