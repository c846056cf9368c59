import { backend_util, getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core'

/**
 * The WASM convolutions get 'same' padding wrong whenever the padding differs between height and
 * width (e.g. a 1x2 kernel, or stride 3 on 5x6): it hands XNNPACK TensorFlow's SAME flag, and the two
 * disagree. Measured: 200 of 1944 forward cases (conv2d, depthwise, fused and not) off by up to 6.4,
 * every one of them 'same', none 'valid'. This wraps the four forward kernels so 'same' arrives as
 * the explicit padding TensorFlow's rule gives (spec.ts `padBefore`), which WASM computes correctly.
 */
const CONV_KERNELS = ['Conv2D', 'FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2D']

export function patchWasmSamePadding(): void {
  for (const name of CONV_KERNELS) {
    const orig = getKernel(name, 'wasm') as (KernelConfig & { patched?: boolean }) | undefined
    if (!orig || orig.patched) continue
    const depthwise = name.includes('Depthwise')
    const kernelFunc: KernelFunc = ({ inputs, attrs = {}, backend }) => {
      if (attrs.pad !== 'same') return orig.kernelFunc({ inputs, attrs, backend })
      const x = inputs.x as TensorInfo
      const filter = inputs.filter as TensorInfo
      const info = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        attrs.strides as [number, number],
        (attrs.dilations ?? 1) as [number, number],
        'same',
        undefined,
        depthwise
      )
      const { top, bottom, left, right } = info.padInfo
      const pad: backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]]
      return orig.kernelFunc({ inputs, attrs: { ...attrs, pad }, backend })
    }
    unregisterKernel(name, 'wasm')
    registerKernel({ ...orig, kernelFunc, patched: true } as KernelConfig)
  }
}
