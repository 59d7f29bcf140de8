/**
 * How each layer runs as standard ONNX operators (opset 13), in inference mode. Lowerings are
 * keyed by the exact class: a subclass may compute something else in its own call, so it is
 * not exported as its parent.
 */
import type { Layer } from '../../nn/layer.js';
import { LEAKY_RELU_ACTIVATION_ALPHA, type ActivationName } from '../../nn/activations.js';
import { Activation, LeakyReLU } from '../../nn/layers/activation.js';
import { BatchNormalization } from '../../nn/layers/batch_normalization.js';
import { Dense } from '../../nn/layers/dense.js';
import { Dropout } from '../../nn/layers/dropout.js';
import { InputLayer } from '../../nn/layers/input.js';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from '../../nn/layers/merge.js';
import { Flatten, Reshape } from '../../nn/layers/reshape.js';
import type { GraphBuilder, Value } from './graph.js';

/** Adds the layer's ops to the graph; returns the name of its output. */
type Lowering<L extends Layer> = (g: GraphBuilder, layer: L, inputs: Value[]) => string;
type LayerClass<L extends Layer> = new (...args: never[]) => L;

const LOWERINGS = new Map<LayerClass<Layer>, Lowering<Layer>>();

function lowering<L extends Layer>(cls: LayerClass<L>, lower: Lowering<L>): void {
  LOWERINGS.set(cls, lower as Lowering<Layer>);
}

export function loweringOf(layer: Layer): Lowering<Layer> | undefined {
  return LOWERINGS.get(layer.constructor as LayerClass<Layer>);
}

export function supportedClassNames(): string[] {
  return [...LOWERINGS.keys()].map((cls) => cls.name);
}

/** Keras' axis (negative: from the end) as an index; the layers checked the range when built. */
function resolveAxis(axis: number, rank: number): number {
  return axis < 0 ? rank + axis : axis;
}

const ACTIVATIONS: Record<ActivationName, (g: GraphBuilder, x: string) => string> = {
  linear: (_, x) => x,
  relu: (g, x) => g.op('Relu', [x]),
  relu6: (g, x) => g.op('Clip', [x, g.scalar(0), g.scalar(6)]),
  sigmoid: (g, x) => g.op('Sigmoid', [x]),
  tanh: (g, x) => g.op('Tanh', [x]),
  softmax: (g, x) => g.op('Softmax', [x], { axis: { int: -1 } }),
  leakyRelu: (g, x) => g.op('LeakyRelu', [x], { alpha: LEAKY_RELU_ACTIVATION_ALPHA }),
  elu: (g, x) => g.op('Elu', [x], { alpha: 1 }),
  // ONNX's default alpha and gamma are Keras' constants rounded to float32.
  selu: (g, x) => g.op('Selu', [x]),
  // Opset 13 has no Gelu (it came in 20): the exact form x/2 (1 + erf(x / sqrt 2)).
  gelu: (g, x) => {
    const erf = g.op('Erf', [g.op('Div', [x, g.scalar(Math.SQRT2)])]);
    return g.op('Mul', [g.op('Mul', [x, g.scalar(0.5)]), g.op('Add', [erf, g.scalar(1)])]);
  },
  softplus: (g, x) => g.op('Softplus', [x]),
};

lowering(InputLayer, (_, __, [x]) => x.name);

lowering(Dropout, (_, __, [x]) => x.name);

lowering(Dense, (g, layer, [x]) => {
  const kernel = g.weight(layer.kernel!, 'kernel');
  const bias = layer.bias ? [g.weight(layer.bias, 'bias')] : [];
  // Gemm takes matrices only; MatMul broadcasts over the leading axes of a sequence.
  const z = x.shape.length === 2 ? g.op('Gemm', [x.name, kernel, ...bias])
    : bias.length > 0 ? g.op('Add', [g.op('MatMul', [x.name, kernel]), bias[0]]) : g.op('MatMul', [x.name, kernel]);
  return ACTIVATIONS[layer.activation.name](g, z);
});

lowering(Activation, (g, layer, [x]) => ACTIVATIONS[layer.activation.name](g, x.name));

lowering(LeakyReLU, (g, layer, [x]) => g.op('LeakyRelu', [x.name], { alpha: layer.alpha }));

lowering(BatchNormalization, (g, layer, [x]) => {
  const features = x.shape[x.shape.length - 1] as number;
  const filled = (label: string, value: number) => g.floats(label, [features], new Float32Array(features).fill(value));
  const scale = layer.gamma ? g.weight(layer.gamma, 'gamma') : filled('gamma', 1);
  const bias = layer.beta ? g.weight(layer.beta, 'beta') : filled('beta', 0);
  const rest = [scale, bias, g.weight(layer.movingMean!, 'moving_mean'), g.weight(layer.movingVariance!, 'moving_variance')];
  const rank = x.shape.length;
  if (rank === 2) return g.op('BatchNormalization', [x.name, ...rest], { epsilon: layer.epsilon });
  // ONNX normalizes axis 1 (channels first); the layer normalizes the last.
  const middle = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  const channelsFirst = g.op('Transpose', [x.name], { perm: [0, rank - 1, ...middle] });
  const y = g.op('BatchNormalization', [channelsFirst, ...rest], { epsilon: layer.epsilon });
  return g.op('Transpose', [y], { perm: [0, ...middle.map((d) => d + 1), 1] });
});

lowering(Flatten, (g, _, [x]) => g.op('Flatten', [x.name], { axis: { int: 1 } }));

// 0 copies the input's batch size (allowzero is 0 by default); -1 is inferred as in the layer.
lowering(Reshape, (g, layer, [x]) => g.op('Reshape', [x.name, g.ints([0, ...layer.targetShape])]));

/** Left to right, as the layers reduce their inputs (so float rounding matches). */
const chained = (opType: string) => (g: GraphBuilder, _: Layer, xs: Value[]) => xs.map((x) => x.name).reduce((a, b) => g.op(opType, [a, b]));
lowering(Add, chained('Add'));
lowering(Subtract, chained('Sub'));
lowering(Multiply, chained('Mul'));
lowering(Maximum, chained('Max'));
lowering(Minimum, chained('Min'));
lowering(Average, (g, layer, xs) => g.op('Div', [chained('Add')(g, layer, xs), g.scalar(xs.length)]));

lowering(Concatenate, (g, layer, xs) => g.op('Concat', xs.map((x) => x.name), { axis: { int: resolveAxis(layer.axis, xs[0].shape.length) } }));

/** x / sqrt(max(sum(x^2), 1e-12)) along the axis, as the layer's normalize option (Keras' l2_normalize). */
function l2Normalize(g: GraphBuilder, x: string, axis: number): string {
  const squares = g.op('ReduceSum', [g.op('Mul', [x, x]), g.ints([axis])], { keepdims: { int: 1 } });
  return g.op('Mul', [x, g.op('Reciprocal', [g.op('Sqrt', [g.op('Max', [squares, g.scalar(1e-12)])])])]);
}

lowering(Dot, (g, layer, [a, b]) => {
  const [rankA, rankB] = [a.shape.length, b.shape.length];
  const [axisA, axisB] = (Array.isArray(layer.axes) ? layer.axes : [layer.axes, layer.axes]).map((axis, i) => resolveAxis(axis, [rankA, rankB][i]));
  const x = layer.normalize ? l2Normalize(g, a.name, axisA) : a.name;
  const y = layer.normalize ? l2Normalize(g, b.name, axisB) : b.name;
  if (rankA === 2 && rankB === 2) return g.op('ReduceSum', [g.op('Mul', [x, y]), g.ints([1])], { keepdims: { int: 1 } });
  // As the layer: batched matrices [batch, rows, k] x [batch, k, cols], a vector being one row (or column).
  const swap = (v: string) => g.op('Transpose', [v], { perm: [0, 2, 1] });
  const left = rankA === 2 ? g.op('Unsqueeze', [x, g.ints([1])]) : axisA === 1 ? swap(x) : x;
  const right = rankB === 2 ? g.op('Unsqueeze', [y, g.ints([2])]) : axisB === 2 ? swap(y) : y;
  const product = g.op('MatMul', [left, right]);
  const squeezed = [...(rankA === 2 ? [1] : []), ...(rankB === 2 ? [2] : [])];
  return squeezed.length === 0 ? product : g.op('Squeeze', [product, g.ints(squeezed)]);
});
