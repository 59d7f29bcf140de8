/** Elementwise unary ops: each one kernel call, after aligning the input's dtype. */
import { runKernel1, tidy } from '../engine.js';
import { Tensor } from '../tensor.js';
import { FLOAT_UNARY_KERNELS, type UnaryKernelName } from '../backend/kernel.js';
import { asType, toTensor, type TensorLike } from './convert.js';
import { add, mul, pow } from './binary.js';

const FLOAT_ONLY = new Set<string>(FLOAT_UNARY_KERNELS);

function unary(kernel: UnaryKernelName, opName: string) {
  const floatOnly = FLOAT_ONLY.has(kernel);
  return (x: TensorLike): Tensor => {
    // The common case, a float32 tensor, makes no temporaries and needs no tidy scope.
    if (x instanceof Tensor && x.dtype === 'float32') return runKernel1(kernel, [toTensor(x, 'x', opName)]);
    return tidy(() => {
      const t = toTensor(x, 'x', opName);
      // Float ops compute in float32; the int-preserving ones keep int32 (bool counts as int32).
      const dtype = floatOnly ? 'float32' : t.dtype === 'bool' ? 'int32' : t.dtype;
      return runKernel1(kernel, [asType(t, dtype)]);
    });
  };
}

export const neg = unary('Neg', 'neg');
export const abs = unary('Abs', 'abs');
export const square = unary('Square', 'square');
export const sign = unary('Sign', 'sign');
export const relu = unary('Relu', 'relu');
export const exp = unary('Exp', 'exp');
export const log = unary('Log', 'log');
export const log1p = unary('Log1p', 'log1p');
export const sqrt = unary('Sqrt', 'sqrt');
export const rsqrt = unary('Rsqrt', 'rsqrt');
export const reciprocal = unary('Reciprocal', 'reciprocal');
export const floor = unary('Floor', 'floor');
/** Rounds half to even, as tfjs. */
export const round = unary('Round', 'round');
export const relu6 = unary('Relu6', 'relu6');
export const elu = unary('Elu', 'elu');
export const selu = unary('Selu', 'selu');
export const sigmoid = unary('Sigmoid', 'sigmoid');
export const tanh = unary('Tanh', 'tanh');
export const softplus = unary('Softplus', 'softplus');
export const sin = unary('Sin', 'sin');
export const cos = unary('Cos', 'cos');

const exactGelu = unary('Gelu', 'gelu');

/** GELU: the exact x * Phi(x) by default; approximate = true gives the tanh form. */
export function gelu(x: TensorLike, approximate = false): Tensor {
  if (!approximate) return exactGelu(x);
  return tidy(() => {
    const t = asType(toTensor(x, 'x', 'gelu'), 'float32');
    const inner = mul(add(t, mul(pow(t, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(t, 0.5), add(tanh(inner), 1));
  });
}

export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new TypeError(`leakyRelu: alpha must be a finite number, got ${alpha}`);
  return tidy(() => runKernel1('LeakyRelu', [asType(toTensor(x, 'x', 'leakyRelu'), 'float32')], { alpha }));
}

export function clipByValue(x: TensorLike, clipValueMin: number, clipValueMax: number): Tensor {
  if (!(clipValueMin <= clipValueMax)) {
    throw new RangeError(`clipByValue: clipValueMin (${clipValueMin}) must be <= clipValueMax (${clipValueMax})`);
  }
  return tidy(() => runKernel1('ClipByValue', [asType(toTensor(x, 'x', 'clipByValue'), 'float32')], { min: clipValueMin, max: clipValueMax }));
}
