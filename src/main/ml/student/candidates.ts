import type { LayerSpec, ModelSpec } from '../../../shared/model/spec'

export type StudentFamily = 'dense' | 'conv' | 'dsconv'

export interface Candidate {
  family: StudentFamily
  /** A short name: family and widths, e.g. "conv 16-32 flatten". */
  name: string
  spec: ModelSpec
}

const relu = 'relu' as const
const conv = (filters: number, stride = 1, k = 3): LayerSpec => ({ type: 'conv2d', filters, kernel: [k, k], strides: [stride, stride], padding: 'same', activation: relu })
const dw = (stride: number): LayerSpec => ({ type: 'depthwiseConv2d', kernel: [3, 3], strides: [stride, stride], padding: 'same', depthMultiplier: 1, activation: relu })
const pool: LayerSpec = { type: 'maxPool2d', pool: [2, 2], strides: [2, 2], padding: 'valid' }
const dense = (units: number, last = false): LayerSpec => ({ type: 'dense', units, activation: last ? 'linear' : relu })

const WIDTHS = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512]

/**
 * The architectures the factory chooses among, for samples of `inputShape` and `classes` classes:
 * - dense: flatten, one or two hidden layers (second half as wide), logits;
 * - conv: two or three 3x3 conv + 2x2 max-pool stages (widths doubling), then a flatten or a
 *   global-average-pool head into the logits;
 * - dsconv: a strided 3x3 conv stem, then depthwise-separable blocks (3x3 depthwise + 1x1 conv, the
 *   first of each later pair strided), global average pool, logits.
 * Convolutional families need an image input [h, w, c] of at least 8x8.
 */
export function candidates(inputShape: number[], classes: number): Candidate[] {
  const out: Candidate[] = []
  const flat = inputShape.length === 1 ? [] : [{ type: 'flatten' } as LayerSpec]
  const spec = (layers: LayerSpec[]): ModelSpec => ({ inputShape, classes, layers })
  for (const h of WIDTHS) {
    out.push({ family: 'dense', name: `dense ${h}`, spec: spec([...flat, dense(h), dense(classes, true)]) })
    if (h >= 8) out.push({ family: 'dense', name: `dense ${h}-${h / 2}`, spec: spec([...flat, dense(h), dense(h / 2), dense(classes, true)]) })
  }
  const image = inputShape.length === 3 && inputShape[0] >= 8 && inputShape[1] >= 8
  if (!image) return out
  const [h, w] = inputShape
  for (const f of WIDTHS.filter((x) => x <= 64)) {
    for (const head of ['flatten', 'gap'] as const) {
      const headLayers = head === 'flatten' ? [{ type: 'flatten' } as LayerSpec, dense(classes, true)] : [{ type: 'globalAvgPool2d' } as LayerSpec, dense(classes, true)]
      out.push({ family: 'conv', name: `conv ${f}-${2 * f} ${head}`, spec: spec([conv(f), pool, conv(2 * f), pool, ...headLayers]) })
      if (h >= 16 && w >= 16) out.push({ family: 'conv', name: `conv ${f}-${2 * f}-${4 * f} ${head}`, spec: spec([conv(f), pool, conv(2 * f), pool, conv(4 * f), pool, ...headLayers]) })
    }
    // Separable: stem f (stride 2), then blocks f->2f (stride 1), 2f->4f (stride 2), and for larger
    // inputs 4f->4f (stride 1).
    const blocks: LayerSpec[] = [dw(1), conv(2 * f, 1, 1), dw(2), conv(4 * f, 1, 1)]
    if (h >= 16 && w >= 16) blocks.push(dw(1), conv(4 * f, 1, 1))
    out.push({ family: 'dsconv', name: `dsconv ${f}-${2 * f}-${4 * f}`, spec: spec([conv(f, 2), ...blocks, { type: 'globalAvgPool2d' }, dense(classes, true)]) })
  }
  return out
}
