/**
 * The int8 path: reference-interpreter throughput (one sample at a time, as the golden check and the
 * evaluation run it), the float reference for comparison, post-training quantisation time, and the
 * artifact codec. Models have seeded random weights; inputs are mnist digits.
 */
import { decodeArtifact, encodeArtifact } from '../src/shared/int8/format'
import { quantizeInput, runInt8Batch } from '../src/shared/int8/interpreter'
import { forwardFloat } from '../src/shared/model/forward'
import { randomSpecModel } from '../src/shared/model/random'
import { countParams, inferShapes, type ModelSpec } from '../src/shared/model/spec'
import { mnistDigits } from '../src/main/ml/quantize/mnist-fixture'
import { quantizeModel } from '../src/main/ml/quantize/quantize'
import type { Report } from './run'

const models: Record<string, ModelSpec> = {
  'dense_784_32_10': { inputShape: [784], classes: 10, layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] },
  conv_small: {
    inputShape: [28, 28, 1],
    classes: 10,
    layers: [
      { type: 'conv2d', filters: 8, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' },
      { type: 'depthwiseConv2d', kernel: [3, 3], strides: [1, 1], padding: 'same', depthMultiplier: 1, activation: 'relu' },
      { type: 'conv2d', filters: 16, kernel: [1, 1], strides: [1, 1], padding: 'valid', activation: 'relu6' },
      { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'valid' },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'linear' }
    ]
  }
}

/** Best of `reps` timings of fn, in ms (the machine is shared; the best run is the least disturbed). */
function best(reps: number, fn: () => void): number {
  let t = Infinity
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    fn()
    t = Math.min(t, performance.now() - t0)
  }
  return t
}

export async function run(report: Report): Promise<void> {
  const { train, test } = mnistDigits()
  for (const [name, spec] of Object.entries(models)) {
    const model = randomSpecModel(spec, 1)
    const calib = train.x.subarray(0, 1000 * 784)
    const quantMs = best(3, () => quantizeModel(model, calib))
    const m = quantizeModel(model, calib)
    const n = test.n
    const q = quantizeInput(m, test.x)
    runInt8Batch(m, q) // warm up the JIT (throughput keeps rising for a few passes)
    forwardFloat(model, test.x)
    const int8Ms = best(6, () => runInt8Batch(m, q))
    const floatMs = best(4, () => forwardFloat(model, test.x))
    const bytes = encodeArtifact(m)
    const encMs = best(5, () => encodeArtifact(m))
    const decMs = best(5, () => decodeArtifact(bytes))
    const macs = macsPerSample(spec)
    report({
      bench: `int8.${name}`,
      params: countParams(spec),
      macsPerSample: macs,
      artifactBytes: bytes.length,
      int8SamplesPerSecond: Math.round((n / int8Ms) * 1000),
      int8GMacPerSecond: +((n * macs) / int8Ms / 1e6).toFixed(3),
      floatSamplesPerSecond: Math.round((n / floatMs) * 1000),
      quantizeMs: +quantMs.toFixed(1),
      calibrationSamples: 1000,
      encodeMs: +encMs.toFixed(2),
      decodeMs: +decMs.toFixed(2),
      samples: n
    })
  }
}

/** Multiply-accumulates of one forward pass through the weighted layers. */
function macsPerSample(spec: ModelSpec): number {
  const { outputs } = inferShapes(spec)
  return spec.layers.reduce((macs, l, i) => {
    const inShape = i === 0 ? spec.inputShape : outputs[i - 1]
    const out = outputs[i]
    if (l.type === 'dense') return macs + inShape[0] * l.units
    if (l.type === 'conv2d') return macs + out[0] * out[1] * l.filters * l.kernel[0] * l.kernel[1] * inShape[2]
    if (l.type === 'depthwiseConv2d') return macs + out[0] * out[1] * out[2] * l.kernel[0] * l.kernel[1]
    return macs
  }, 0)
}
