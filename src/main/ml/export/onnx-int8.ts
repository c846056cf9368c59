/**
 * Int8Model -> ONNX with QLinear operators (opset 13), so the quantised model runs in standard runtimes.
 * Input "input": float [N, ...inputShape], quantised by QuantizeLinear with the model's input
 * parameters; outputs "logits_int8" (int8) and "logits" (dequantised float).
 *
 * Weighted layers are QLinearConv (dense as a 1x1 convolution over [N, in, 1, 1]) with per-channel int8
 * weights and int32 biases; fused activations are int8 Clips; max pools run on int8; average pools are
 * computed exactly as the reference does (see averageInt8). QLinearConv requantises in float and rounds
 * ties to even, so its outputs may differ from the reference interpreter's fixed point by one step now
 * and then: the artifact and the reference interpreter remain the bit-exact contract.
 */
import { checkInt8Model } from '../../../shared/int8/validate'
import type { Int8Model, QParams } from '../../../shared/int8/model'
import { padBefore, type Padding } from '../../../shared/model/spec'
import { encodeModel, ONNX_FLOAT, ONNX_INT32, ONNX_INT64, ONNX_INT8, rawFloat32, rawInt64, type NodeDef, type TensorDef } from './onnx-proto'

export function exportInt8Onnx(m: Int8Model, opts: { name?: string } = {}): Uint8Array {
  const shapes = checkInt8Model(m)
  const nodes: NodeDef[] = []
  const inits: TensorDef[] = []
  let seq = 0
  const add = (op: string, inputs: string[], attrs?: NodeDef['attrs']): string => {
    const out = `${op.toLowerCase()}_${seq++}`
    nodes.push({ op, inputs, outputs: [out], name: out, attrs })
    return out
  }
  const constant = (dims: number[], type: TensorDef['type'], raw: Uint8Array): string => {
    const name = `c${inits.length}`
    inits.push({ name, dims, type, raw })
    return name
  }
  const f32 = (values: ArrayLike<number>, dims: number[] = []) => constant(dims, ONNX_FLOAT, rawFloat32(Float32Array.from(values)))
  const i8 = (values: ArrayLike<number>, dims: number[] = []) => constant(dims, ONNX_INT8, new Uint8Array(Int8Array.from(values).buffer))
  const qp = (q: QParams): [string, string] => [f32([q.scale]), i8([q.zeroPoint])]

  let q: QParams = m.input
  let cur = add('QuantizeLinear', ['input', ...qp(q)])
  let layout: 'flat' | 'nhwc' | 'nchw' = m.inputShape.length === 1 ? 'flat' : 'nhwc'
  const toNchw = () => {
    if (layout === 'nhwc') cur = add('Transpose', [cur], { perm: { ints: [0, 3, 1, 2] } })
    layout = 'nchw'
  }
  const toNhwc = () => {
    if (layout === 'nchw') cur = add('Transpose', [cur], { perm: { ints: [0, 2, 3, 1] } })
    if (layout !== 'flat') layout = 'nhwc'
  }
  /**
   * The reference average of raw int8 values, exactly: AveragePool in float (sums of int8 values and
   * their quotient are exact to far better than the distance between a tie and its neighbours, j/count
   * vs 1/2 +- 1/count), then rounding half away from zero as sign(a) * floor(|a| + 1/2 + eps), with
   * eps = 1/(4 count) absorbing a runtime that multiplies by 1/count instead of dividing.
   */
  const averageInt8 = (op: string, count: number, attrs?: NodeDef['attrs']) => {
    const avg = add(op, [add('Cast', [cur], { to: { i: ONNX_FLOAT } })], attrs)
    const mag = add('Floor', [add('Add', [add('Abs', [avg]), f32([0.5 + 0.25 / count])])])
    cur = add('Cast', [add('Mul', [add('Sign', [avg]), mag])], { to: { i: ONNX_INT8 } })
  }

  m.layers.forEach((l, i) => {
    const inShape = shapes[i]
    switch (l.type) {
      case 'dense':
      case 'conv2d':
      case 'depthwiseConv2d': {
        const dense = l.type === 'dense'
        if (dense) cur = add('Reshape', [cur, constant([4], ONNX_INT64, rawInt64([-1, l.inFeatures, 1, 1]))])
        else toNchw()
        const outC = l.weights.length === 0 ? 0 : l.bias.length
        const [kh, kw] = dense ? [1, 1] : l.kernel
        const perGroupIn = l.type === 'conv2d' ? l.inChannels : dense ? l.inFeatures : 1
        // Artifact layouts -> OIHW [outC][perGroupIn][kh][kw].
        const w = new Int8Array(l.weights.length)
        for (let oc = 0; oc < outC; oc++)
          for (let ic = 0; ic < perGroupIn; ic++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const from = l.type === 'depthwiseConv2d' ? (ky * kw + kx) * outC + oc : dense ? oc * perGroupIn + ic : ((oc * kh + ky) * kw + kx) * perGroupIn + ic
                w[((oc * perGroupIn + ic) * kh + ky) * kw + kx] = l.weights[from]
              }
        const out = l.output
        const attrs: NodeDef['attrs'] = dense
          ? {}
          : { kernel_shape: { ints: l.kernel }, strides: { ints: l.strides }, pads: { ints: pads(inShape, l.kernel, l.strides, l.padding) }, group: { i: l.type === 'conv2d' ? 1 : l.inChannels } }
        cur = add(
          'QLinearConv',
          [
            cur,
            ...qp(q),
            constant([outC, perGroupIn, kh, kw], ONNX_INT8, new Uint8Array(w.buffer)),
            f32(l.weightScales, [outC]),
            i8(new Array<number>(outC).fill(0), [outC]),
            ...qp(out),
            constant([outC], ONNX_INT32, new Uint8Array(Int32Array.from(l.bias).buffer))
          ],
          attrs
        )
        if (out.actMin > -128 || out.actMax < 127) cur = add('Clip', [cur, i8([out.actMin]), i8([out.actMax])])
        if (dense) cur = add('Flatten', [cur], { axis: { i: 1 } })
        q = out
        break
      }
      case 'maxPool2d':
        toNchw()
        cur = add('MaxPool', [cur], { kernel_shape: { ints: l.pool }, strides: { ints: l.strides }, pads: { ints: pads(inShape, l.pool, l.strides, l.padding) } })
        break
      case 'avgPool2d':
        toNchw()
        averageInt8('AveragePool', l.pool[0] * l.pool[1], { kernel_shape: { ints: l.pool }, strides: { ints: l.strides }, pads: { ints: pads(inShape, l.pool, l.strides, l.padding) }, count_include_pad: { i: 0 } })
        break
      case 'globalAvgPool2d':
        toNchw()
        averageInt8('GlobalAveragePool', inShape[0] * inShape[1])
        cur = add('Flatten', [cur], { axis: { i: 1 } })
        layout = 'flat'
        break
      case 'flatten':
        toNhwc()
        cur = add('Flatten', [cur], { axis: { i: 1 } })
        layout = 'flat'
        break
      case 'reshape':
        toNhwc()
        cur = add('Reshape', [cur, constant([l.shape.length + 1], ONNX_INT64, rawInt64([-1, ...l.shape]))])
        layout = l.shape.length === 1 ? 'flat' : 'nhwc'
        break
    }
  })
  nodes.push({ op: 'Identity', inputs: [cur], outputs: ['logits_int8'], name: 'logits_int8' })
  nodes.push({ op: 'DequantizeLinear', inputs: ['logits_int8', ...qp(q)], outputs: ['logits'], name: 'logits' })
  return encodeModel(
    {
      name: opts.name ?? 'diredi-int8',
      nodes,
      initializers: inits,
      inputs: [{ name: 'input', type: ONNX_FLOAT, shape: ['N', ...m.inputShape] }],
      outputs: [
        { name: 'logits_int8', type: ONNX_INT8, shape: ['N', m.classes] },
        { name: 'logits', type: ONNX_FLOAT, shape: ['N', m.classes] }
      ]
    },
    { irVersion: 7, opset: 13, producer: 'diredi-console', producerVersion: '0' }
  )
}

/** ONNX pads [top, left, bottom, right] of TensorFlow padding for an [h, w, c] input. */
function pads(inShape: number[], k: [number, number], s: [number, number], p: Padding): number[] {
  const total = (n: number, kk: number, ss: number) => (p === 'valid' ? 0 : Math.max((Math.ceil(n / ss) - 1) * ss + kk - n, 0))
  const [h, w] = inShape
  const t = padBefore(h, k[0], s[0], p)
  const l = padBefore(w, k[1], s[1], p)
  return [t, l, total(h, k[0], s[0]) - t, total(w, k[1], s[1]) - l]
}
