import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { Rng } from '../../../shared/random'
import { initBackend } from '../backend'

/**
 * The kernels registered for WASM (conv2d filter and input gradients, depthwise input and filter
 * gradients, tiled max-pool gradient, the transposed-MatMul fast path, 'same' padding) against the CPU
 * backend's own kernels, on random shapes.
 */
beforeAll(async () => {
  process.env.DIREDI_BACKEND = 'wasm'
  expect(await initBackend()).toBe('wasm')
})

const randArray = (rng: Rng, shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal())
const rand = (rng: Rng, shape: number[]) => tf.tensor(randArray(rng, shape), shape)

/** Gradients of sum(f(x, w) * dy) with respect to x and w, on the named backend, as plain arrays. */
async function gradsOn(backend: string, f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, x: Float32Array, xs: number[], w: Float32Array, ws: number[], dy: (out: number[]) => tf.Tensor) {
  await tf.setBackend(backend)
  return tf.tidy(() => {
    const probe = f(tf.tensor(x, xs), tf.tensor(w, ws))
    const weight = dy(probe.shape)
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), weight)))([tf.tensor(x, xs), tf.tensor(w, ws)])
    return { dx: g[0].dataSync().slice(), dw: g[1].dataSync().slice() }
  })
}

function expectClose(a: Float32Array, b: Float32Array, what: string) {
  expect(a.length, what).toBe(b.length)
  let scale = 1e-6
  for (const v of b) scale = Math.max(scale, Math.abs(v))
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  expect(worst / scale, `${what}: max |wasm - cpu| / max |cpu|`).toBeLessThan(1e-4)
}

async function compare(f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, xs: number[], ws: number[], seed: number, what: string) {
  const rng = new Rng(seed)
  const x = randArray(rng, xs)
  const w = randArray(rng, ws)
  const dySeed = rng.int(1 << 30)
  const dy = (shape: number[]) => rand(new Rng(dySeed), shape)
  const cpu = await gradsOn('cpu', f, x, xs, w, ws, dy)
  const wasm = await gradsOn('wasm', f, x, xs, w, ws, dy)
  expectClose(wasm.dx as Float32Array, cpu.dx as Float32Array, `${what} dx`)
  expectClose(wasm.dw as Float32Array, cpu.dw as Float32Array, `${what} dw`)
}

const cases: Array<{ stride: 1 | 2; padding: 'same' | 'valid'; mult: 1 | 2 }> = []
for (const stride of [1, 2] as const) for (const padding of ['same', 'valid'] as const) for (const mult of [1, 2] as const) cases.push({ stride, padding, mult })

describe('WASM gradient kernels match the CPU backend', () => {
  it.each(cases)('conv2d and depthwise, stride $stride, $padding, depth multiplier $mult', async ({ stride, padding, mult }) => {
    const rng = new Rng(1000 * stride + 10 * mult + (padding === 'same' ? 1 : 0))
    for (let trial = 0; trial < 3; trial++) {
      const n = 1 + rng.int(3)
      const h = 5 + rng.int(8)
      const w = 5 + rng.int(8)
      const c = 1 + rng.int(4)
      const kh = 1 + rng.int(3)
      const kw = 1 + rng.int(3)
      const co = 1 + rng.int(5)
      const seed = rng.int(1 << 30)
      const shape = `x [${n},${h},${w},${c}] k ${kh}x${kw}`
      await compare((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, padding), [n, h, w, c], [kh, kw, c, co], seed, `conv2d ${shape} -> ${co}`)
      await compare((x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, padding), [n, h, w, c], [kh, kw, c, mult], seed + 1, `depthwise ${shape} x${mult}`)
      // The fused forms (bias and activation in the kernel) take the same gradient kernels.
      await compare((x, f) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: stride, pad: padding, activation: 'relu6' }), [n, h, w, c], [kh, kw, c, mult], seed + 2, `fused depthwise ${shape} x${mult}`)
    }
  })

  it("forward convolutions with 'same' padding that differs between height and width", async () => {
    const rng = new Rng(99)
    for (const [kh, kw, sh, sw, h, w] of [[1, 2, 2, 1, 8, 8], [2, 2, 1, 3, 5, 6], [3, 1, 2, 2, 5, 6], [2, 1, 3, 3, 5, 6]]) {
      const x = randArray(rng, [2, h, w, 3])
      const f = randArray(rng, [kh, kw, 3, 2])
      const out: Record<string, Float32Array> = {}
      for (const b of ['cpu', 'wasm']) {
        await tf.setBackend(b)
        out[b] = tf.tidy(() => {
          const X = tf.tensor4d(x, [2, h, w, 3])
          const F = tf.tensor4d(f, [kh, kw, 3, 2])
          const y1 = tf.conv2d(X, F, [sh, sw], 'same')
          const y2 = tf.fused.depthwiseConv2d({ x: X, filter: F, strides: [sh, sw], pad: 'same', activation: 'relu' })
          return Float32Array.from([...y1.dataSync(), ...y2.dataSync()])
        })
      }
      expectClose(out.wasm, out.cpu, `forward k${kh}x${kw} s${sh}x${sw} on ${h}x${w}`)
    }
  })

  it('uneven strides and explicit padding', async () => {
    const explicit: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 2], [0, 1], [0, 0]]
    await compare((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, [2, 1], explicit), [2, 9, 7, 3], [3, 2, 3, 4], 7, 'conv2d strides [2,1] explicit pad')
    await compare((x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, [1, 2], explicit), [2, 9, 7, 3], [3, 2, 3, 2], 8, 'depthwise strides [1,2] explicit pad')
  })

  it('dense layers: transposed MatMul takes the fast path with the same products', async () => {
    for (const [m, k, n] of [[3, 5, 4], [64, 33, 17], [128, 784, 10]]) {
      await compare((x, w) => tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, activation: 'relu' }), [m, k], [k, n], m + k + n, `dense ${m}x${k}x${n}`)
      await compare((x, w) => tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D, true, true), [k, m], [n, k], m * k, `matMul transposed both ${m}x${k}x${n}`)
    }
  })

  it('max-pool gradients, with ties resolved to the first maximum as TensorFlow does', async () => {
    const rng = new Rng(5)
    for (const [h, w, p, s, padding] of [[8, 8, 2, 2, 'valid'], [7, 9, 2, 2, 'valid'], [9, 6, 3, 3, 'valid'], [6, 6, 2, 2, 'same'], [7, 7, 3, 2, 'same']] as const) {
      // Small integers make ties common, as ReLU zeros do in real networks.
      const x = Float32Array.from({ length: 2 * h * w * 3 }, () => rng.int(4))
      const dy = (shape: number[]) => rand(new Rng(h * w), shape)
      const out: Record<string, Float32Array> = {}
      for (const b of ['cpu', 'wasm']) {
        await tf.setBackend(b)
        out[b] = tf.tidy(() => {
          const probe = tf.maxPool(tf.tensor4d(x, [2, h, w, 3]), p, s, padding)
          const weight = dy(probe.shape)
          return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, p, s, padding), weight)))(tf.tensor4d(x, [2, h, w, 3])).dataSync() as Float32Array
        })
      }
      expectClose(out.wasm, out.cpu, `maxPool ${p}/${s} ${padding} on ${h}x${w}`)
    }
  })

  it('refuses dilation other than 1 with a clear error', async () => {
    await tf.setBackend('wasm')
    const x = tf.ones([1, 6, 6, 2]) as tf.Tensor4D
    const f = tf.ones([3, 3, 2, 1]) as tf.Tensor4D
    expect(() => tf.grad((a: tf.Tensor) => tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, f, 1, 'same', 'NHWC', 2)))(x)).toThrow(/dilation/)
    tf.dispose([x, f])
  })

  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm')
    const before = tf.memory().numTensors
    await compare((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'), [2, 8, 8, 3], [3, 3, 3, 4], 3, 'conv2d leak check')
    await tf.setBackend('wasm')
    expect(tf.memory().numTensors).toBe(before)
  })
})
