/**
 * Attaches every op whose first argument is a tensor to Tensor as a method, so that
 * `x.add(y)` is `et.add(x, y)`: one definition, two spellings.
 */
import { Tensor } from '../tensor.js';
import * as ops from './index.js';

const METHOD_OPS = [
  'add', 'sub', 'mul', 'div', 'floorDiv', 'pow', 'maximum', 'minimum',
  'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual',
  'neg', 'abs', 'exp', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sign', 'floor', 'round',
  'relu', 'relu6', 'leakyRelu', 'elu', 'selu', 'gelu', 'sigmoid', 'tanh', 'softplus', 'sin', 'cos', 'clipByValue', 'cast', 'clone',
  'sum', 'mean', 'max', 'min', 'prod', 'variance', 'logSumExp', 'argMax', 'argMin', 'moments',
  'matMul', 'dot', 'outerProduct',
  'reshape', 'transpose', 'slice', 'split', 'unstack', 'squeeze', 'expandDims', 'tile', 'pad', 'gather', 'unsortedSegmentSum', 'flatten', 'oneHot',
  'softmax', 'logSoftmax', 'dropout',
] as const;

type MethodOps = typeof METHOD_OPS[number];
type AsMethod<F> = F extends (first: never, ...rest: infer R) => infer O ? (...rest: R) => O : never;

declare module '../tensor.js' {
  interface Tensor extends TensorMethods {}
}

export type TensorMethods = { [K in MethodOps]: AsMethod<(typeof ops)[K]> };

for (const name of METHOD_OPS) {
  const op = ops[name] as (...args: unknown[]) => unknown;
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor, ...args: unknown[]) {
      return op(this, ...args);
    },
    writable: true,
    configurable: true,
  });
}
