/** Gradients of the unary kernels, written with ops (x = input, y = output). */
import { registerGradient, type GradientFn } from '../autograd/gradients.js';
import type { Tensor } from '../tensor.js';
import { add, div, equal, greater, greaterEqual, less, lessEqual, mul, pow, sub } from './binary.js';
import { cast } from './convert.js';
import { zerosLike } from './creation.js';
import { cos, exp, neg, sigmoid, sign, sin, square } from './unary.js';
import { where } from './where.js';

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

const mask = (condition: Tensor) => cast(condition, 'float32');

function unaryGradient(kernelName: string, uses: 'x' | 'y' | 'xy', d: (dy: Tensor, x: Tensor, y: Tensor, attrs: Record<string, unknown>) => Tensor): void {
  const gradFn: GradientFn = (dy, node) => [d(dy, node.inputs[0], node.outputs[0], node.attrs)];
  registerGradient({ kernelName, saveInputs: uses !== 'y', saveOutputs: uses !== 'x', gradFn });
}

unaryGradient('Neg', 'x', (dy) => neg(dy));
unaryGradient('Abs', 'x', (dy, x) => mul(dy, sign(x)));
unaryGradient('Square', 'x', (dy, x) => mul(dy, mul(x, 2)));
unaryGradient('Relu', 'x', (dy, x) => where(greater(x, 0), dy, 0));
unaryGradient('Relu6', 'x', (dy, x) => mul(dy, mul(mask(greater(x, 0)), mask(less(x, 6)))));
unaryGradient('Exp', 'y', (dy, _, y) => mul(dy, y));
unaryGradient('Log', 'x', (dy, x) => div(dy, x));
unaryGradient('Log1p', 'x', (dy, x) => div(dy, add(x, 1)));
unaryGradient('Sqrt', 'y', (dy, _, y) => div(dy, mul(y, 2)));
// d/dx x^(-1/2) = -1/2 x^(-3/2) = -y^3 / 2
unaryGradient('Rsqrt', 'y', (dy, _, y) => mul(dy, mul(pow(y, 3), -0.5)));
unaryGradient('Reciprocal', 'y', (dy, _, y) => mul(neg(dy), square(y)));
unaryGradient('LeakyRelu', 'x', (dy, x, _, attrs) => where(greater(x, 0), dy, mul(dy, attrs.alpha as number)));
unaryGradient('Elu', 'xy', (dy, x, y) => where(greater(x, 0), dy, mul(dy, add(y, 1))));
unaryGradient('Selu', 'xy', (dy, x, y) => where(greater(x, 0), mul(dy, SELU_SCALE), mul(dy, add(y, SELU_SCALE * SELU_ALPHA))));
// gelu(x) = x Phi(x), so gelu'(x) = Phi(x) + x phi(x), with Phi(x) = y / x (1/2 at 0).
unaryGradient('Gelu', 'xy', (dy, x, y) => {
  const isZero = equal(x, 0);
  const cdf = where(isZero, 0.5, div(y, where(isZero, 1, x)));
  const pdf = mul(exp(mul(square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return mul(dy, add(cdf, mul(x, pdf)));
});
unaryGradient('Sigmoid', 'y', (dy, _, y) => mul(dy, mul(y, sub(1, y))));
unaryGradient('Tanh', 'y', (dy, _, y) => mul(dy, sub(1, square(y))));
unaryGradient('Softplus', 'x', (dy, x) => mul(dy, sigmoid(x)));
unaryGradient('Sin', 'x', (dy, x) => mul(dy, cos(x)));
unaryGradient('Cos', 'x', (dy, x) => mul(neg(dy), sin(x)));
unaryGradient('ClipByValue', 'x', (dy, x, _, attrs) =>
  mul(dy, mul(mask(greaterEqual(x, attrs.min as number)), mask(lessEqual(x, attrs.max as number)))));
// Piecewise constant: the gradient is zero almost everywhere.
for (const kernelName of ['Sign', 'Floor', 'Round']) unaryGradient(kernelName, 'y', (dy) => zerosLike(dy));
// float32 -> float32 is the identity; other casts produce non-float outputs, which the tape skips.
registerGradient({ kernelName: 'Cast', saveInputs: false, saveOutputs: false, gradFn: (dy) => [dy] });
