/** Gradients of the binary kernels: each operand's share, summed back over broadcast axes. */
import { registerGradient, type GradientFn } from '../autograd/gradients.js';
import type { Tensor } from '../tensor.js';
import { div, greater, greaterEqual, lessEqual, less, mul, pow, sub } from './binary.js';
import { cast } from './convert.js';
import { sumToShape } from './reduce.js';
import { log, neg, square } from './unary.js';
import { where } from './where.js';

/** One operand's share of the gradient (before summing over the axes it was broadcast along). */
type Share = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => Tensor;

function binaryGradient(kernelName: string, saveInputs: boolean, saveOutputs: boolean, shareA: Share, shareB: Share): void {
  const gradFn: GradientFn = (dy, node) => {
    const [a, b] = node.inputs;
    const y = node.outputs[0];
    return [
      node.needs[0] ? sumToShape(shareA(dy, a, b, y), node.inputShapes[0]) : null,
      node.needs[1] ? sumToShape(shareB(dy, a, b, y), node.inputShapes[1]) : null,
    ];
  };
  registerGradient({ kernelName, saveInputs, saveOutputs, gradFn });
}

const mask = (condition: Tensor) => cast(condition, 'float32');

binaryGradient('Add', false, false, (dy) => dy, (dy) => dy);
binaryGradient('Sub', false, false, (dy) => dy, (dy) => neg(dy));
binaryGradient('Mul', true, false, (dy, _, b) => mul(dy, b), (dy, a) => mul(dy, a));
binaryGradient('Div', true, false, (dy, _, b) => div(dy, b), (dy, a, b) => neg(div(mul(dy, a), square(b))));
// d(a^b)/da = b a^(b-1); d(a^b)/db = a^b log(a), taken as 0 where a <= 0 (tfjs does the same).
binaryGradient('Pow', true, true,
  (dy, a, b) => mul(dy, mul(b, pow(a, sub(b, 1)))),
  (dy, a, _, y) => mul(dy, where(greater(a, 0), mul(y, log(where(greater(a, 0), a, 1))), 0)));
binaryGradient('Maximum', true, false, (dy, a, b) => mul(dy, mask(greaterEqual(a, b))), (dy, a, b) => mul(dy, mask(less(a, b))));
binaryGradient('Minimum', true, false, (dy, a, b) => mul(dy, mask(lessEqual(a, b))), (dy, a, b) => mul(dy, mask(greater(a, b))));
// floor(a / b) is piecewise constant.
registerGradient({ kernelName: 'FloorDiv', saveInputs: false, saveOutputs: false, gradFn: () => [null, null] });

registerGradient({
  kernelName: 'Where',
  saveInputs: true,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const [condition] = node.inputs;
    return [
      null,
      node.needs[1] ? sumToShape(where(condition, dy, 0), node.inputShapes[1]) : null,
      node.needs[2] ? sumToShape(where(condition, 0, dy), node.inputShapes[2]) : null,
    ];
  },
});
