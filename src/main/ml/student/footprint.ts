import { inferShapes, type ModelSpec } from '../../../shared/model/spec'

/**
 * What a model needs on a board, counted the way the int8 artifact stores and runs it:
 * - weightBytes: int8 kernels, 1 byte per value, plus int32 biases, 4 bytes per value;
 * - ramBytes: activations, the peak over layers of its int8 input plus its int8 output buffer (batch 1);
 * - macs: multiply-accumulates of one inference (dense, convolutions; pools and reshapes count 0).
 * 1 KB = 1024 bytes throughout.
 */
export interface Footprint {
  params: number
  weightBytes: number
  ramBytes: number
  macs: number
}

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1)

export function footprint(spec: ModelSpec): Footprint {
  const shapes = inferShapes(spec)
  let params = 0
  let weightBytes = 0
  let ramBytes = 0
  let macs = 0
  let inShape = spec.inputShape
  spec.layers.forEach((l, i) => {
    const out = shapes.outputs[i]
    const [kernel, bias] = shapes.weights[i]
    if (kernel) {
      params += prod(kernel) + prod(bias)
      weightBytes += prod(kernel) + 4 * prod(bias)
      // Each output value takes one MAC per kernel value that feeds it.
      const perOut = l.type === 'dense' ? kernel[0] : l.type === 'conv2d' ? kernel[0] * kernel[1] * kernel[2] : kernel[0] * kernel[1]
      macs += prod(out) * perOut
    }
    ramBytes = Math.max(ramBytes, prod(inShape) + prod(out))
    inShape = out
  })
  return { params, weightBytes, ramBytes, macs }
}

export const kb = (bytes: number): number => Math.round((bytes / 1024) * 100) / 100
