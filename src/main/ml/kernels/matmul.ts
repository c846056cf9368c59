import { getKernel, registerKernel, unregisterKernel, type DataId, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core'

interface MatMulAttrs {
  transposeA: boolean
  transposeB: boolean
}

type PatchedConfig = KernelConfig & { patched?: boolean }

/** Right operands WASM has already multiplied by (it caches their packed form, keyed by the data). */
const seenAsB = new WeakSet<DataId>()

/**
 * WASM's matrix products through XNNPACK, at its speed for every transpose combination.
 *
 * 1. With `transposeA` or `transposeB` the WASM kernel takes a scalar loop, measured at ~2 GFLOP/s
 *    against ~28 through XNNPACK; back-propagation asks for exactly those (dX = dY·Wᵀ, dW = Xᵀ·dY).
 * 2. XNNPACK packs the right operand anew whenever it is a tensor it has not seen (cheap for a
 *    constant, such as a teacher's weights, which it caches; costly for a weight matrix that changes
 *    every training step: packing 784x800 takes longer than multiplying it by 64 rows).
 *
 * So a 2-D product C = op(A)·op(B) is computed either as it stands, transposing operands explicitly, or
 * as C = (op(B)ᵀ·op(A)ᵀ)ᵀ, which makes the small operand the packed one, whichever moves fewer bytes
 * (counting a pack twice a transpose, as measured). dX = dY·Wᵀ becomes (W·dYᵀ)ᵀ: 6.6 -> 3.3 ms at
 * 64x800x784. Products are the same sums; only XNNPACK's summation order differs. Batched (3-D)
 * products keep the plain path. Call before `setBackend('wasm')`; idempotent.
 */
export function patchWasmMatMul(): void {
  const transpose = getKernel('Transpose', 'wasm')
  if (!transpose) throw new Error('the WASM backend has no Transpose kernel; cannot patch MatMul')
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const orig = getKernel(name, 'wasm') as PatchedConfig | undefined
    if (!orig || orig.patched) continue
    const fused = name === '_FusedMatMul'
    const kernelFunc: KernelFunc = ({ inputs, attrs = {}, backend }) => {
      const { transposeA, transposeB } = attrs as unknown as MatMulAttrs
      const a = inputs.a as TensorInfo
      const b = inputs.b as TensorInfo
      const made: TensorInfo[] = []
      const flip = (t: TensorInfo): TensorInfo => {
        const r = t.shape.length
        const out = transpose.kernelFunc({ inputs: { x: t }, attrs: { perm: [...Array(r - 2).keys(), r - 1, r - 2] }, backend }) as TensorInfo
        made.push(out)
        return out
      }
      const run = (x: TensorInfo, y: TensorInfo) => orig.kernelFunc({ inputs: { ...inputs, a: x, b: y }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend }) as TensorInfo
      try {
        const plain2d = !fused && a.shape.length === 2 && b.shape.length === 2
        if (!plain2d) return !transposeA && !transposeB ? orig.kernelFunc({ inputs, attrs, backend }) : run(transposeA ? flip(a) : a, transposeB ? flip(b) : b)
        const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : a.shape
        const n = transposeB ? b.shape[0] : b.shape[1]
        // A right operand seen before is packed and cached by now (a constant such as a teacher's weights).
        const cached = !transposeB && seenAsB.has(b.dataId)
        if (!transposeB) seenAsB.add(b.dataId)
        // Elements moved: explicit transposes count 1 each, a pack 2, a cached pack 0.
        const asIs = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + (cached ? 0 : 2 * k * n)
        const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + 2 * m * k + m * n
        if (asIs <= swapped) {
          return !transposeA && !transposeB ? orig.kernelFunc({ inputs, attrs, backend }) : run(transposeA ? flip(a) : a, transposeB ? flip(b) : b)
        }
        const ct = run(transposeB ? b : flip(b), transposeA ? a : flip(a))
        made.push(ct)
        const c = flip(ct)
        made.pop()
        return c
      } finally {
        for (const t of made) (backend as KernelBackend).disposeData(t.dataId)
      }
    }
    unregisterKernel(name, 'wasm')
    registerKernel({ ...orig, kernelFunc, patched: true } as PatchedConfig)
  }
}
