import { add, argMax, backend_util, cast, equal, getKernel, logicalAnd, logicalNot, logicalOr, maximum, mul, oneHot, pad, registerKernel, reshape, slice, stridedSlice, tidy, transpose, unregisterKernel, zerosLike, type KernelConfig, type KernelFunc, type Tensor, type Tensor4D, type TensorInfo } from '@tensorflow/tfjs-core'

/**
 * MaxPoolGrad as TensorFlow (and tfjs' CPU backend) defines it: each window's gradient goes to the
 * first maximum of the window in row-major order. WASM's own kernel sends a tied window's gradient
 * elsewhere (ties are common: ReLU zeros, saturated pixels) and is measured ~5x slower than this.
 *
 * Tiled windows (pool size = stride, the usual 2x2/2): the windows become the last axis, argMax
 * finds each one's first maximum, a one-hot row routes dy there. x [n,h,w,c], dy [n,oh,ow,c] -> [n,h,w,c].
 */
export function maxPoolGradTiled(x: Tensor4D, dy: Tensor4D, ph: number, pw: number): Tensor4D {
  return tidy((): Tensor4D => {
    const [n, h, w, c] = x.shape
    const [, oh, ow] = dy.shape
    const used = oh * ph === h && ow * pw === w ? x : slice(x, [0, 0, 0, 0], [n, oh * ph, ow * pw, c])
    const windows = reshape(transpose(reshape(used, [n, oh, ph, ow, pw, c]), [0, 1, 3, 5, 2, 4]), [n * oh * ow * c, ph * pw])
    const route = cast(oneHot(argMax(windows, 1), ph * pw), 'float32')
    const g = mul(route, reshape(dy, [n * oh * ow * c, 1]))
    const back = reshape(transpose(reshape(g, [n, oh, ow, c, ph, pw]), [0, 1, 4, 2, 5, 3]), [n, oh * ph, ow * pw, c]) as Tensor4D
    return oh * ph === h && ow * pw === w ? back : pad(back, [[0, 0], [0, h - oh * ph], [0, w - ow * pw], [0, 0]])
  })
}

/**
 * Any window and stride: per window tap, in row-major order, a strided slice of the (-inf padded)
 * input; a tap takes dy where it equals the window's maximum and no earlier tap did; each tap's share
 * is spread back to its input positions (zeros between strides) and summed.
 */
export function maxPoolGradGeneral(x: Tensor4D, dy: Tensor4D, info: backend_util.Conv2DInfo): Tensor4D {
  return tidy((): Tensor4D => {
    const [n, h, w, c] = x.shape
    const { top, bottom, left, right } = info.padInfo
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: ph, filterWidth: pw } = info
    const xp = pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], -Infinity)
    const hp = h + top + bottom
    const wp = w + left + right
    const taps: Tensor4D[] = []
    for (let i = 0; i < ph; i++) for (let j = 0; j < pw; j++) taps.push(stridedSlice(xp, [0, i, j, 0], [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, c], [1, sh, sw, 1]) as Tensor4D)
    const max = taps.reduce((a, b) => maximum(a, b))
    let taken: Tensor = cast(zerosLike(max), 'bool')
    let dxp: Tensor4D | null = null
    taps.forEach((t, k) => {
      const hit = logicalAnd(equal(t, max), logicalNot(taken))
      taken = logicalOr(taken, hit)
      const g = mul(cast(hit, 'float32'), dy)
      const spread = reshape(pad(reshape(g, [n, oh, 1, ow, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]), [n, oh * sh, ow * sw, c])
      const i = Math.floor(k / pw)
      const j = k % pw
      const placed = padTo(slice(spread, [0, 0, 0, 0], [n, Math.min(oh * sh, hp - i), Math.min(ow * sw, wp - j), c]) as Tensor4D, i, j, hp, wp)
      dxp = dxp ? (add(dxp, placed) as Tensor4D) : placed
    })
    return slice(dxp!, [0, top, left, 0], [n, h, w, c])
  })
}

/** Pads t [n,a,b,c] with zeros to [n,hp,wp,c], with i rows before and j columns before. */
function padTo(t: Tensor4D, i: number, j: number, hp: number, wp: number): Tensor4D {
  const [, a, b] = t.shape
  return pad(t, [[0, 0], [i, hp - i - a], [j, wp - j - b], [0, 0]])
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)])

/** Replaces the WASM backend's MaxPoolGrad with the two functions above. Idempotent. */
export function patchWasmMaxPoolGrad(): void {
  const orig = getKernel('MaxPoolGrad', 'wasm') as (KernelConfig & { patched?: boolean }) | undefined
  if (!orig || orig.patched) return
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, attrs = {} } = args
    const x = inputs.input as TensorInfo
    const [ph, pw] = pair(attrs.filterSize)
    const [sh, sw] = pair(attrs.strides)
    const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], [ph, pw], [sh, sw], 1, attrs.pad as 'same' | 'valid', attrs.dimRoundingMode as 'floor' | undefined)
    const { top, left } = info.padInfo
    if ((x as Partial<Tensor4D>).rank !== 4) return orig.kernelFunc(args)
    const tiled = ph === sh && pw === sw && top === 0 && left === 0
    return tiled ? maxPoolGradTiled(x as Tensor4D, inputs.dy as Tensor4D, ph, pw) : maxPoolGradGeneral(x as Tensor4D, inputs.dy as Tensor4D, info)
  }
  unregisterKernel('MaxPoolGrad', 'wasm')
  registerKernel({ ...orig, kernelFunc, patched: true } as KernelConfig)
}
