import { checkInt8Model, decodeArtifact, dequantizeLogits, inputSize, quantizeInput, runInt8 } from '../../shared/int8'
import type { LoadedModel, ModelRuntime } from './runtime'

/**
 * The virtual boards' model runtime: the console's int8 reference interpreter (src/shared/int8), which
 * computes what a board's integer kernels compute. RAM is counted as a microcontroller build would lay it
 * out: two int8 activation buffers used in turn, an int32 scratch row and an int32 accumulator per channel.
 */
export const int8Runtime: ModelRuntime = {
  load(artifact: Uint8Array): LoadedModel {
    const m = decodeArtifact(artifact)
    const shapes = checkInt8Model(m)
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1))
    const maxAct = Math.max(...sizes)
    const maxCh = Math.max(1, ...shapes.map((s) => s[s.length - 1]))
    return {
      inputSize: inputSize(m),
      classes: m.classes,
      ramBytes: 2 * maxAct + 4 * maxAct + 4 * maxCh,
      run: (input) => runInt8(m, input),
      quantize: (x) => quantizeInput(m, x),
      dequantizeOutput: (q) => dequantizeLogits(m, q)
    }
  }
}
