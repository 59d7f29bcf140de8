/**
 * ONNX protobuf messages for the exporter, through onnx-proto's generated classes (so the bytes
 * follow onnx.proto exactly rather than a hand-kept encoder).
 */
import onnxProto from 'onnx-proto';
import type { SymbolicShape } from '../../nn/symbolic.js';

const { onnx } = onnxProto;

/** Opset 13: what onnxruntime and PyTorch's exporter both take, with axes as inputs (Squeeze, ReduceSum). */
export const OPSET = 13;
/** IR version 7 is the one that came with opset 13. */
const IR_VERSION = 7;
/** The name every exported graph gives its batch axis, so one file serves any batch size. */
export const BATCH_DIM = 'batch';

export type AttributeValue = number | number[] | { int: number };
type Attributes = Record<string, AttributeValue>;

const { AttributeType } = onnx.AttributeProto;

/** Plain numbers are FLOAT attributes and arrays INTS; `{int}` marks an INT (ONNX keeps them apart). */
function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'number') return { name, type: AttributeType.FLOAT, f: value };
  return { name, type: AttributeType.INT, i: value.int };
}

export function node(opType: string, input: string[], output: string[], name: string, attributes: Attributes = {}): onnxProto.onnx.INodeProto {
  return { opType, input, output, name, attribute: Object.entries(attributes).map(([key, v]) => attribute(key, v)) };
}

/** Raw little-endian bytes, which is how ONNX stores raw_data (and how Node lays out typed arrays on its platforms). */
function rawBytes(values: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function floatTensor(name: string, dims: number[], values: Float32Array): onnxProto.onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: rawBytes(values) };
}

export function int64Tensor(name: string, values: number[]): onnxProto.onnx.ITensorProto {
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: rawBytes(BigInt64Array.from(values, BigInt)) };
}

/** A float32 value's declared type: axis 0 is the batch; other unknown axes stay unnamed. */
export function valueInfo(name: string, shape: SymbolicShape): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d, i) => (d !== null ? { dimValue: d } : i === 0 ? { dimParam: BATCH_DIM } : {}));
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim } } } };
}

export interface GraphParts {
  name: string;
  nodes: onnxProto.onnx.INodeProto[];
  initializers: onnxProto.onnx.ITensorProto[];
  inputs: onnxProto.onnx.IValueInfoProto[];
  outputs: onnxProto.onnx.IValueInfoProto[];
}

export function encodeModel(graph: GraphParts, producerVersion: string): Uint8Array {
  // protobufjs returns a Buffer (a view into a shared pool, in Node): the caller gets its own bytes.
  return new Uint8Array(onnx.ModelProto.encode({
    irVersion: IR_VERSION,
    producerName: 'edgetensor',
    producerVersion,
    opsetImport: [{ domain: '', version: OPSET }],
    graph: { name: graph.name, node: graph.nodes, initializer: graph.initializers, input: graph.inputs, output: graph.outputs },
  }).finish());
}
