/**
 * The float reference forward pass of a SpecModel in plain TypeScript: the same arithmetic as tfjs
 * layers (NHWC, TensorFlow padding, average pooling that does not count padding), accumulated in double
 * precision and stored as float32. Quantisation calibrates on it and the exporters are checked against it.
 */
import { inferShapes, padBefore, weightName, type Activation, type LayerSpec, type SpecModel } from './spec'

/** Called after each layer with its output for the whole batch (n * prod(shape) values, row-major). */
export type LayerObserver = (index: number, output: Float32Array, shape: number[]) => void

/**
 * Runs `n` samples (x: n * prod(inputShape) values) through the model; returns n * classes logits.
 * Throws if a weight is missing or has the wrong shape.
 */
export function forwardFloat(model: SpecModel, x: Float32Array, onLayer?: LayerObserver): Float32Array {
  const { spec } = model
  const shapes = inferShapes(spec)
  const inSize = size(spec.inputShape)
  if (x.length % inSize) throw new RangeError(`forwardFloat: ${x.length} values is not a whole number of samples of [${spec.inputShape}]`)
  const n = x.length / inSize
  let cur = x
  let shape = spec.inputShape
  spec.layers.forEach((l, i) => {
    const outShape = shapes.outputs[i]
    const [kernel, bias] = shapes.weights[i].length ? [tensor(model, i, 'kernel', shapes.weights[i][0]), tensor(model, i, 'bias', shapes.weights[i][1])] : [null, null]
    const out = l.type === 'flatten' || l.type === 'reshape' ? cur : new Float32Array(n * size(outShape))
    const inS = size(shape)
    const outS = size(outShape)
    for (let s = 0; s < n && out !== cur; s++) {
      layer(l, shape, outShape, cur.subarray(s * inS, (s + 1) * inS), out.subarray(s * outS, (s + 1) * outS), kernel, bias)
    }
    onLayer?.(i, out, outShape)
    cur = out
    shape = outShape
  })
  return cur === x ? x.slice() : cur
}

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1)

function tensor(model: SpecModel, i: number, part: 'kernel' | 'bias', want: number[]): Float32Array {
  const name = weightName(i, part)
  const t = model.weights.tensors.find((w) => w.name === name)
  if (!t) throw new Error(`weight ${name} is missing`)
  if (t.shape.length !== want.length || t.shape.some((d, k) => d !== want[k]) || t.data.length !== size(want)) {
    throw new Error(`weight ${name} has shape [${t.shape}] (${t.data.length} values), expected [${want}]`)
  }
  return t.data
}

function act(v: number, a: Activation): number {
  if (a === 'linear') return v
  const r = v > 0 ? v : 0
  return a === 'relu6' && r > 6 ? 6 : r
}

/** One sample through one layer; `k`, `b` are the kernel and bias of weighted layers. */
function layer(l: LayerSpec, inShape: number[], outShape: number[], x: Float32Array, y: Float32Array, k: Float32Array | null, b: Float32Array | null): void {
  if (l.type === 'dense' && k && b) {
    const nIn = inShape[0]
    const units = l.units
    const acc = new Float64Array(b)
    for (let i = 0; i < nIn; i++) {
      const xi = x[i]
      if (xi === 0) continue
      for (let o = 0, base = i * units; o < units; o++) acc[o] += xi * k[base + o]
    }
    for (let o = 0; o < units; o++) y[o] = act(acc[o], l.activation)
    return
  }
  if (l.type === 'globalAvgPool2d') {
    const [h, w, c] = inShape
    for (let ch = 0; ch < c; ch++) {
      let s = 0
      for (let p = 0; p < h * w; p++) s += x[p * c + ch]
      y[ch] = s / (h * w)
    }
    return
  }
  if (l.type !== 'conv2d' && l.type !== 'depthwiseConv2d' && l.type !== 'maxPool2d' && l.type !== 'avgPool2d') return
  const [h, w, cin] = inShape
  const [oh, ow, cout] = outShape
  const [kh, kw] = l.type === 'conv2d' || l.type === 'depthwiseConv2d' ? l.kernel : l.pool
  const [sh, sw] = l.strides
  const pt = padBefore(h, kh, sh, l.padding)
  const pl = padBefore(w, kw, sw, l.padding)
  const acc = new Float64Array(cout)
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      const ya = Math.max(oy * sh - pt, 0)
      const yb = Math.min(oy * sh - pt + kh, h)
      const xa = Math.max(ox * sw - pl, 0)
      const xb = Math.min(ox * sw - pl + kw, w)
      const o = (oy * ow + ox) * cout
      if (l.type === 'maxPool2d' || l.type === 'avgPool2d') {
        const isMax = l.type === 'maxPool2d'
        acc.fill(isMax ? -Infinity : 0)
        for (let iy = ya; iy < yb; iy++)
          for (let ix = xa; ix < xb; ix++)
            for (let c = 0, ib = (iy * w + ix) * cin; c < cin; c++) acc[c] = isMax ? Math.max(acc[c], x[ib + c]) : acc[c] + x[ib + c]
        const count = (yb - ya) * (xb - xa)
        for (let c = 0; c < cout; c++) y[o + c] = isMax ? acc[c] : acc[c] / count
        continue
      }
      if (!k || !b) return
      acc.set(b)
      for (let iy = ya; iy < yb; iy++) {
        const ky = iy - (oy * sh - pt)
        for (let ix = xa; ix < xb; ix++) {
          const kx = ix - (ox * sw - pl)
          const ib = (iy * w + ix) * cin
          const kb = (ky * kw + kx) * cin * (l.type === 'conv2d' ? cout : l.depthMultiplier)
          if (l.type === 'conv2d') {
            for (let ic = 0; ic < cin; ic++) {
              const xv = x[ib + ic]
              for (let oc = 0, kk = kb + ic * cout; oc < cout; oc++) acc[oc] += xv * k[kk + oc]
            }
          } else {
            const m = l.depthMultiplier
            for (let ic = 0; ic < cin; ic++) for (let j = 0; j < m; j++) acc[ic * m + j] += x[ib + ic] * k[kb + ic * m + j]
          }
        }
      }
      for (let c = 0; c < cout; c++) y[o + c] = act(acc[c], l.activation)
    }
  }
}
