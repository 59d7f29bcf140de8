/** Gradients of the binary kernels: each operand's share, summed back over broadcast axes. */
import { registerGradient, type GradientFn } from '../autograd/gradients.js';
import type { Tensor } from '../tensor.js';
import { div, greater, greaterEqual, lessEqual, less, mul, pow, sub } from './binary.js';
import { cast } from './convert.js';
import { sumToShape } from './reduce.js';
import { log, neg, square } from './unary.js';
import { where } from './where.js';

type Shares = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

function binaryGradient(kernelName: string, saveInputs: boolean, saveOutputs: boolean, shares: Shares): void {
  const gradFn: GradientFn = (dy, node) => {
    const [ga, gb] = shares(dy, node.inputs[0], node.inputs[1], node.outputs[0]);
    return [ga && sumToShape(ga, node.inputShapes[0]), gb && sumToShape(gb, node.inputShapes[1])];
  };
  registerGradient({ kernelName, saveInputs, saveOutputs, gradFn });
}

const mask = (condition: Tensor) => cast(condition, 'float32');

binaryGradient('Add', false, false, (dy) => [dy, dy]);
binaryGradient('Sub', false, false, (dy) => [dy, neg(dy)]);
binaryGradient('Mul', true, false, (dy, a, b) => [mul(dy, b), mul(dy, a)]);
binaryGradient('Div', true, false, (dy, a, b) => [div(dy, b), neg(div(mul(dy, a), square(b)))]);
// d(a^b)/da = b a^(b-1); d(a^b)/db = a^b log(a), taken as 0 where a <= 0 (tfjs does the same).
binaryGradient('Pow', true, true, (dy, a, b, y) => [
  mul(dy, mul(b, pow(a, sub(b, 1)))),
  mul(dy, where(greater(a, 0), mul(y, log(where(greater(a, 0), a, 1))), 0)),
]);
binaryGradient('Maximum', true, false, (dy, a, b) => [mul(dy, mask(greaterEqual(a, b))), mul(dy, mask(less(a, b)))]);
binaryGradient('Minimum', true, false, (dy, a, b) => [mul(dy, mask(lessEqual(a, b))), mul(dy, mask(greater(a, b)))]);
// floor(a / b) is piecewise constant.
binaryGradient('FloorDiv', false, false, () => [null, null]);

registerGradient({
  kernelName: 'Where',
  saveInputs: true,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const [condition] = node.inputs;
    return [null, sumToShape(where(condition, dy, 0), node.inputShapes[1]), sumToShape(where(condition, 0, dy), node.inputShapes[2])];
  },
});
