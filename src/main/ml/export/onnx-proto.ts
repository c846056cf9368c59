/**
 * ONNX messages (onnx.proto, IR version 7) as protobuf builders: only the fields the exporter writes.
 * Field numbers are onnx.proto's.
 */
import { ProtoWriter } from './protobuf'

export const ONNX_FLOAT = 1
export const ONNX_INT8 = 3
export const ONNX_INT32 = 6
export const ONNX_INT64 = 7

export type AttrValue = { f: number } | { i: number } | { ints: number[] } | { s: string }

/** AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7). */
function attribute(name: string, v: AttrValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name)
  if ('f' in v) return w.float(2, v.f).int(20, 1)
  if ('i' in v) return w.int(3, v.i).int(20, 2)
  if ('s' in v) return w.string(4, v.s).int(20, 3)
  return w.ints(8, v.ints).int(20, 7)
}

export interface NodeDef {
  op: string
  inputs: string[]
  outputs: string[]
  name: string
  attrs?: Record<string, AttrValue>
}

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
function node(n: NodeDef): ProtoWriter {
  const w = new ProtoWriter()
  for (const i of n.inputs) w.string(1, i)
  for (const o of n.outputs) w.string(2, o)
  w.string(3, n.name).string(4, n.op)
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attribute(k, v))
  return w
}

export interface TensorDef {
  name: string
  dims: number[]
  type: typeof ONNX_FLOAT | typeof ONNX_INT8 | typeof ONNX_INT32 | typeof ONNX_INT64
  /** Little-endian element bytes. */
  raw: Uint8Array
}

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9. */
function tensor(t: TensorDef): ProtoWriter {
  return new ProtoWriter().ints(1, t.dims).int(2, t.type).string(8, t.name).bytes(9, t.raw)
}

export interface ValueInfo {
  name: string
  type: number
  /** Numbers are fixed sizes, strings symbolic ones (e.g. the batch "N"). */
  shape: Array<number | string>
}

/** ValueInfoProto { name 1, type 2: TypeProto { tensor_type 1: { elem_type 1, shape 2: { dim 1: { dim_value 1 | dim_param 2 } } } } }. */
function valueInfo(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter()
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d))
  const tensorType = new ProtoWriter().int(1, v.type).message(2, shape)
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType))
}

export interface GraphDef {
  name: string
  nodes: NodeDef[]
  initializers: TensorDef[]
  inputs: ValueInfo[]
  outputs: ValueInfo[]
}

/**
 * ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8
 * ({ domain 1, version 2 }). GraphProto: node 1, name 2, initializer 5, input 11, output 12.
 */
export function encodeModel(g: GraphDef, opts: { irVersion: number; opset: number; producer: string; producerVersion: string }): Uint8Array {
  const graph = new ProtoWriter()
  for (const n of g.nodes) graph.message(1, node(n))
  graph.string(2, g.name)
  for (const t of g.initializers) graph.message(5, tensor(t))
  for (const i of g.inputs) graph.message(11, valueInfo(i))
  for (const o of g.outputs) graph.message(12, valueInfo(o))
  return new ProtoWriter()
    .int(1, opts.irVersion)
    .string(2, opts.producer)
    .string(3, opts.producerVersion)
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, opts.opset))
    .finish()
}

/** Little-endian bytes of a typed array (the machine is little-endian on every platform Node runs on, but be explicit). */
export function rawFloat32(a: Float32Array): Uint8Array {
  const b = new Uint8Array(a.length * 4)
  const v = new DataView(b.buffer)
  a.forEach((x, i) => v.setFloat32(i * 4, x, true))
  return b
}

export function rawInt64(a: ReadonlyArray<number>): Uint8Array {
  const b = new Uint8Array(a.length * 8)
  const v = new DataView(b.buffer)
  a.forEach((x, i) => v.setBigInt64(i * 8, BigInt(x), true))
  return b
}
