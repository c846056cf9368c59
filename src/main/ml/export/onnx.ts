/**
 * Float SpecModel -> ONNX (opset 13, IR 7), with the same input and output as the tfjs model: input
 * "input" [N, ...inputShape] (NHWC for images), output "logits" [N, classes].
 *
 * ONNX convolutions and pools are NCHW, so the graph transposes NHWC -> NCHW before a run of spatial
 * layers and back (NCHW -> NHWC) before a flatten or reshape, which keeps tfjs's flatten order. TF 'same'
 * padding becomes explicit pads (the smaller half before); average pools do not count padding, as in TF.
 */
import { inferShapes, padBefore, weightName, type Activation, type LayerSpec, type SpecModel } from '../../../shared/model/spec'
import { encodeModel, ONNX_FLOAT, ONNX_INT64, rawFloat32, rawInt64, type NodeDef, type TensorDef } from './onnx-proto'

export const ONNX_OPSET = 13

type Layout = 'flat' | 'nhwc' | 'nchw'

export function exportOnnx(model: SpecModel, opts: { name?: string; producerVersion?: string } = {}): Uint8Array {
  const { spec } = model
  const shapes = inferShapes(spec)
  const nodes: NodeDef[] = []
  const inits: TensorDef[] = []
  let cur = 'input'
  let layout: Layout = spec.inputShape.length === 1 ? 'flat' : 'nhwc'
  let shape = spec.inputShape
  let seq = 0
  const add = (op: string, inputs: string[], attrs?: NodeDef['attrs']): string => {
    const out = `${op.toLowerCase()}_${seq++}`
    nodes.push({ op, inputs, outputs: [out], name: out, attrs })
    return out
  }
  const weight = (i: number, part: 'kernel' | 'bias'): Float32Array => {
    const t = model.weights.tensors.find((w) => w.name === weightName(i, part))
    if (!t) throw new Error(`weight ${weightName(i, part)} is missing`)
    return t.data
  }
  const init = (name: string, dims: number[], data: Float32Array): string => {
    inits.push({ name, dims, type: ONNX_FLOAT, raw: rawFloat32(data) })
    return name
  }
  const toNchw = () => {
    if (layout === 'nhwc' && shape.length === 3) cur = add('Transpose', [cur], { perm: { ints: [0, 3, 1, 2] } })
    layout = 'nchw'
  }
  const toNhwc = () => {
    if (layout === 'nchw') cur = add('Transpose', [cur], { perm: { ints: [0, 2, 3, 1] } })
    if (layout !== 'flat') layout = 'nhwc'
  }
  let clipBounds: [string, string] | null = null
  const activation = (a: Activation) => {
    if (a === 'relu') cur = add('Relu', [cur])
    if (a === 'relu6') {
      clipBounds ??= [init('clip_min', [], Float32Array.of(0)), init('clip_max', [], Float32Array.of(6))]
      cur = add('Clip', [cur, ...clipBounds])
    }
  }

  spec.layers.forEach((l: LayerSpec, i) => {
    const outShape = shapes.outputs[i]
    switch (l.type) {
      case 'dense': {
        const k = init(`w${i}`, [shape[0], l.units], weight(i, 'kernel'))
        const b = init(`b${i}`, [l.units], weight(i, 'bias'))
        cur = add('Gemm', [cur, k, b])
        activation(l.activation)
        layout = 'flat'
        break
      }
      case 'conv2d':
      case 'depthwiseConv2d': {
        toNchw()
        const [h, w, cin] = shape
        const [kh, kw] = l.kernel
        const cout = outShape[2]
        // tfjs HWIO [kh][kw][cin][cout] (depthwise: [kh][kw][cin][mult], channel ic*mult+m) -> ONNX
        // OIHW [cout][cin/group][kh][kw]; for depthwise group = cin, so [cin*mult][1][kh][kw].
        const src = weight(i, 'kernel')
        const perGroupIn = l.type === 'conv2d' ? cin : 1
        const dst = new Float32Array(src.length)
        for (let oc = 0; oc < cout; oc++)
          for (let ic = 0; ic < perGroupIn; ic++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const from = l.type === 'conv2d' ? ((ky * kw + kx) * cin + ic) * cout + oc : (ky * kw + kx) * cout + oc
                dst[((oc * perGroupIn + ic) * kh + ky) * kw + kx] = src[from]
              }
        const wName = init(`w${i}`, [cout, perGroupIn, kh, kw], dst)
        const bName = init(`b${i}`, [cout], weight(i, 'bias'))
        cur = add('Conv', [cur, wName, bName], {
          kernel_shape: { ints: [kh, kw] },
          strides: { ints: l.strides },
          pads: { ints: pads(h, w, l.kernel, l.strides, l.padding) },
          dilations: { ints: [1, 1] },
          group: { i: l.type === 'conv2d' ? 1 : cin }
        })
        activation(l.activation)
        break
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        toNchw()
        const attrs: NodeDef['attrs'] = { kernel_shape: { ints: l.pool }, strides: { ints: l.strides }, pads: { ints: pads(shape[0], shape[1], l.pool, l.strides, l.padding) } }
        if (l.type === 'avgPool2d') attrs.count_include_pad = { i: 0 }
        cur = add(l.type === 'maxPool2d' ? 'MaxPool' : 'AveragePool', [cur], attrs)
        break
      }
      case 'globalAvgPool2d':
        toNchw()
        cur = add('GlobalAveragePool', [cur])
        cur = add('Flatten', [cur], { axis: { i: 1 } })
        layout = 'flat'
        break
      case 'flatten':
        toNhwc()
        cur = add('Flatten', [cur], { axis: { i: 1 } })
        layout = 'flat'
        break
      case 'reshape': {
        toNhwc()
        const target = `shape${i}`
        inits.push({ name: target, dims: [l.shape.length + 1], type: ONNX_INT64, raw: rawInt64([-1, ...l.shape]) })
        cur = add('Reshape', [cur, target])
        layout = l.shape.length === 1 ? 'flat' : 'nhwc'
        break
      }
    }
    shape = outShape
  })
  // The spec ends in [classes] logits, so the layout is flat here; name the last value "logits".
  nodes.push({ op: 'Identity', inputs: [cur], outputs: ['logits'], name: 'logits' })
  return encodeModel(
    {
      name: opts.name ?? 'diredi',
      nodes,
      initializers: inits,
      inputs: [{ name: 'input', type: ONNX_FLOAT, shape: ['N', ...spec.inputShape] }],
      outputs: [{ name: 'logits', type: ONNX_FLOAT, shape: ['N', spec.classes] }]
    },
    { irVersion: 7, opset: ONNX_OPSET, producer: 'diredi-console', producerVersion: opts.producerVersion ?? '0' }
  )
}

/** ONNX pads [top, left, bottom, right] reproducing TensorFlow's padding. */
function pads(h: number, w: number, k: [number, number], s: [number, number], p: 'same' | 'valid'): number[] {
  const total = (n: number, kk: number, ss: number) => (p === 'valid' ? 0 : Math.max((Math.ceil(n / ss) - 1) * ss + kk - n, 0))
  const th = total(h, k[0], s[0])
  const tw = total(w, k[1], s[1])
  const t = padBefore(h, k[0], s[0], p)
  const l = padBefore(w, k[1], s[1], p)
  return [t, l, th - t, tw - l]
}
