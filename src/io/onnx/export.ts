/**
 * et.exportOnnx: a model as an ONNX file (opset 13) that onnxruntime runs. The walk follows the
 * model's own order (a Sequential's stack, a Functional's nodes), inlining nested models, with a
 * dynamic batch axis and the weights as initializers.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Layer } from '../../nn/layer.js';
import { Functional } from '../../models/functional.js';
import { Model } from '../../models/model.js';
import { Sequential } from '../../models/sequential.js';
import { EDGETENSOR_VERSION } from '../../version.js';
import { GraphBuilder, type Value } from './graph.js';
import { loweringOf, supportedClassNames } from './lowerings.js';
import { encodeModel, valueInfo } from './proto.js';

function unsupported(layer: Layer): Error {
  return new TypeError(`exportOnnx: layer '${layer.name}' (${layer.className}) has no ONNX lowering; supported: ${supportedClassNames().join(', ')}, and nested Sequential and Functional models`);
}

/** The model's outputs for these inputs; `prefix` keeps a nested model's names apart. */
function lowerModel(g: GraphBuilder, model: Model, inputs: Value[], prefix: string): Value[] {
  if (model instanceof Sequential) return [model.layers.reduce((x, layer) => lowerLayer(g, layer, [x], false, prefix)[0], inputs[0])];
  if (!(model instanceof Functional)) throw unsupported(model);
  const values = new Map(model.inputs.map((t, i) => [t, inputs[i]]));
  for (const node of model.graphNodes) {
    const outputs = lowerLayer(g, node.layer, node.inbound.map((t) => values.get(t)!), node.inputsAreList, prefix);
    node.outputs.forEach((t, k) => values.set(t, outputs[k]));
  }
  return model.outputs.map((t) => values.get(t)!);
}

function lowerLayer(g: GraphBuilder, layer: Layer, inputs: Value[], inputsAreList: boolean, prefix: string): Value[] {
  if (layer instanceof Model) return lowerModel(g, layer, inputs, `${prefix}${layer.name}/`);
  const lower = loweringOf(layer);
  if (!lower) throw unsupported(layer);
  g.scope = prefix + layer.name;
  const name = lower(g, layer, inputs);
  const shape = layer.computeOutputShape(inputsAreList ? inputs.map((x) => x.shape) : inputs[0].shape);
  return [{ name, shape: shape as Value['shape'] }];
}

/** The graph inputs: a Functional's are named after its input layers, a Sequential's is `input`. */
function graphInputs(model: Model): Value[] {
  const shapes = model.inputShapes;
  if (shapes === null) throw new Error(`exportOnnx: model '${model.name}' is not built yet; give its first layer an inputShape (e.g. {inputShape: [784]}) or run it on data first`);
  const names = model instanceof Functional ? model.inputs.map((t) => t.sourceLayer.name) : ['input'];
  return shapes.map((shape, i) => ({ name: names[i], shape }));
}

/** The model as ONNX bytes (opset 13, any batch size); with a path, also written there, atomically. */
export async function exportOnnx(model: Model, path?: string): Promise<Uint8Array> {
  if (!(model instanceof Model)) throw new TypeError('exportOnnx: expected a model (et.sequential or et.model)');
  const g = new GraphBuilder();
  const inputs = graphInputs(model);
  inputs.forEach((x) => g.fresh(x.name));
  const outputs = lowerModel(g, model, inputs, '');
  // A graph output must be produced by a node and listed once: an input passed straight
  // through, or one value given as two outputs, gets its own name.
  const listed = new Set(inputs.map((x) => x.name));
  const named = outputs.map((x) => {
    g.scope = 'output';
    const name = listed.has(x.name) ? g.op('Identity', [x.name]) : x.name;
    listed.add(name);
    return { name, shape: x.shape };
  });
  const bytes = encodeModel({
    name: model.name, nodes: g.nodes, initializers: g.initializers,
    inputs: inputs.map((x) => valueInfo(x.name, x.shape)), outputs: named.map((x) => valueInfo(x.name, x.shape)),
  }, EDGETENSOR_VERSION);
  if (path !== undefined) {
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
  return bytes;
}
