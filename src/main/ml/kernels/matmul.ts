import { getKernel, registerKernel, unregisterKernel, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core'

interface MatMulAttrs {
  transposeA: boolean
  transposeB: boolean
}

/**
 * The WASM backend multiplies through XNNPACK only when neither operand is transposed; with
 * `transposeA` or `transposeB` it falls back to a scalar loop, measured here at ~2 GFLOP/s against
 * ~28 GFLOP/s. Back-propagation through every dense layer asks for exactly those transposes
 * (dX = dY·Wᵀ, dW = Xᵀ·dY), so this wraps `BatchMatMul` and `_FusedMatMul`: a transposed operand is
 * transposed explicitly (a memory-bound copy, well under a millisecond for our sizes) and the fast
 * path runs. Results are the same products; only the summation order inside XNNPACK differs.
 * Call before `setBackend('wasm')`; idempotent.
 */
export function patchWasmMatMul(): void {
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const orig = getKernel(name, 'wasm')
    if (!orig || (orig as PatchedConfig).patched) continue
    const transpose = getKernel('Transpose', 'wasm')
    if (!transpose) throw new Error('the WASM backend has no Transpose kernel; cannot patch MatMul')
    const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
      const { transposeA, transposeB } = attrs as unknown as MatMulAttrs
      if (!transposeA && !transposeB) return orig.kernelFunc({ inputs, attrs, backend })
      const made: TensorInfo[] = []
      const flip = (t: TensorInfo): TensorInfo => {
        const r = t.shape.length
        const perm = [...Array(r - 2).keys(), r - 1, r - 2]
        const out = transpose.kernelFunc({ inputs: { x: t }, attrs: { perm }, backend }) as TensorInfo
        made.push(out)
        return out
      }
      const a = transposeA ? flip(inputs.a as TensorInfo) : inputs.a
      const b = transposeB ? flip(inputs.b as TensorInfo) : inputs.b
      try {
        return orig.kernelFunc({ inputs: { ...inputs, a, b }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend })
      } finally {
        for (const t of made) (backend as KernelBackend).disposeData(t.dataId)
      }
    }
    unregisterKernel(name, 'wasm')
    const patched: PatchedConfig = { ...orig, kernelFunc, patched: true }
    registerKernel(patched)
  }
}

type PatchedConfig = KernelConfig & { patched?: boolean }
