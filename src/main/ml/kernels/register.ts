import { registerKernel, getKernel, unregisterKernel, type KernelConfig, type KernelFunc, type NamedAttrMap, type Tensor4D, type TensorInfo } from '@tensorflow/tfjs-core'
import { conv2dBackpropFilter, conv2dBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput, type Pad } from './conv-grads'
import { patchWasmMatMul } from './matmul'
import { patchWasmMaxPoolGrad } from './pool-grad'
import { patchWasmSamePadding } from './same-padding'

type Shape4 = [number, number, number, number]
type Strides = number | [number, number]

/** The engine hands registered kernels the op's tensors; a kernel called from another kernel could pass bare infos. */
function asTensor(t: TensorInfo | undefined, kernel: string): Tensor4D {
  if (!t || (t as Partial<Tensor4D>).rank === undefined) throw new Error(`${kernel}: expected tensor inputs from the engine`)
  return t as Tensor4D
}

function nhwcOnly(attrs: NamedAttrMap | undefined, kernel: string): void {
  if (attrs?.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') throw new Error(`${kernel}: only NHWC is supported, got ${String(attrs.dataFormat)}`)
}

const kernels: Array<[string, KernelFunc]> = [
  [
    'Conv2DBackpropFilter',
    ({ inputs, attrs = {} }) => {
      nhwcOnly(attrs, 'Conv2DBackpropFilter')
      return conv2dBackpropFilter(asTensor(inputs.x, 'Conv2DBackpropFilter'), asTensor(inputs.dy, 'Conv2DBackpropFilter'), attrs.filterShape as Shape4, attrs.strides as Strides, attrs.pad as Pad)
    }
  ],
  [
    'Conv2DBackpropInput',
    ({ inputs, attrs = {} }) => {
      nhwcOnly(attrs, 'Conv2DBackpropInput')
      return conv2dBackpropInput(attrs.inputShape as Shape4, asTensor(inputs.dy, 'Conv2DBackpropInput'), asTensor(inputs.filter, 'Conv2DBackpropInput'), attrs.strides as Strides, attrs.pad as Pad)
    }
  ],
  [
    'DepthwiseConv2dNativeBackpropInput',
    ({ inputs, attrs = {} }) =>
      depthwiseBackpropInput(attrs.inputShape as Shape4, asTensor(inputs.dy, 'DepthwiseConv2dNativeBackpropInput'), asTensor(inputs.filter, 'DepthwiseConv2dNativeBackpropInput'), attrs.strides as Strides, attrs.pad as Pad, attrs.dilations as Strides)
  ],
  [
    'DepthwiseConv2dNativeBackpropFilter',
    ({ inputs, attrs = {} }) =>
      depthwiseBackpropFilter(asTensor(inputs.x, 'DepthwiseConv2dNativeBackpropFilter'), asTensor(inputs.dy, 'DepthwiseConv2dNativeBackpropFilter'), attrs.filterShape as Shape4, attrs.strides as Strides, attrs.pad as Pad, attrs.dilations as Strides)
  ]
]

/**
 * Makes the WASM backend able to train every model a `ModelSpec` can describe: adds the three missing
 * convolution gradient kernels, replaces its slow Conv2DBackpropInput (conv-grads.ts) and tiled
 * MaxPoolGrad (pool-grad.ts), routes transposed MatMuls to the fast path, and corrects 'same'
 * padding in its forward convolutions. Call after importing
 * @tensorflow/tfjs-backend-wasm and before `setBackend('wasm')`; idempotent.
 */
export function registerWasmKernels(): void {
  patchWasmMatMul()
  patchWasmSamePadding()
  patchWasmMaxPoolGrad()
  for (const [kernelName, kernelFunc] of kernels) {
    const existing = getKernel(kernelName, 'wasm') as (KernelConfig & { ours?: boolean }) | undefined
    if (existing?.ours) continue
    if (existing) unregisterKernel(kernelName, 'wasm')
    registerKernel({ kernelName, backendName: 'wasm', kernelFunc, ours: true } as KernelConfig)
  }
}
