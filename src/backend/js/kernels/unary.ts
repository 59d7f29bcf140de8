/**
 * Unary kernels, all from one table of scalar functions. Float functions compute in float64
 * with Math.* and are rounded to float32 once, when stored, which makes them correctly
 * rounded wherever Math.* is (the js backend is the oracle of the ulp tests).
 */
import {
  FLOAT_UNARY_KERNELS,
  INT_PRESERVING_UNARY_KERNELS,
  type CpuTensor,
  type UnaryKernelName,
} from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { erfc } from '../../../math/erf.js';
import { jsArrayFor } from '../precision.js';

type Attrs = Record<string, unknown>;
type ScalarFn = (x: number, attrs: Attrs) => number;

// Keras' SELU constants (Klambauer et al. 2017).
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** Rounds half to even ("banker's rounding"); keeps -0, NaN and infinities. */
export function roundHalfToEven(x: number): number {
  const r = Math.round(x); // halves go toward +Infinity
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** 1 / (1 + exp(-x)) without overflow for large |x|. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Sign with sign(±0) = +0 and sign(NaN) = NaN. */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN;
}

/** Float32 versions of every unary kernel. NaN propagates through all of them. */
const FLOAT_FNS: Record<UnaryKernelName, ScalarFn> = {
  Exp: (x) => Math.exp(x),
  Log: (x) => Math.log(x),
  Log1p: (x) => Math.log1p(x),
  Sqrt: (x) => Math.sqrt(x),
  Rsqrt: (x) => 1 / Math.sqrt(x),
  Reciprocal: (x) => 1 / x,
  Floor: (x) => Math.floor(x),
  Round: roundHalfToEven,
  Relu6: (x) => Math.min(Math.max(x, 0), 6),
  LeakyRelu: (x, a) => (x < 0 ? (a.alpha as number) * x : x),
  Elu: (x) => (x < 0 ? Math.expm1(x) : x),
  Selu: (x) => SELU_SCALE * (x < 0 ? SELU_ALPHA * Math.expm1(x) : x),
  // x * Phi(x) with Phi(x) = erfc(-x / sqrt(2)) / 2, accurate for x << 0 too; the limit
  // at -Infinity is -0 (not -Infinity * 0 = NaN).
  Gelu: (x) => (x === -Infinity ? -0 : 0.5 * x * erfc(-x * Math.SQRT1_2)),
  Sigmoid: sigmoid,
  Tanh: (x) => Math.tanh(x),
  // log(1 + exp(x)) = log1p(exp(-|x|)) + max(x, 0): no overflow, no cancellation.
  Softplus: (x) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0),
  Sin: (x) => Math.sin(x),
  Cos: (x) => Math.cos(x),
  ClipByValue: (x, a) => Math.min(Math.max(x, a.min as number), a.max as number),
  Neg: (x) => -x,
  Abs: (x) => Math.abs(x),
  Square: (x) => x * x,
  Sign: sign,
  Relu: (x) => Math.max(x, 0),
};

/** int32 versions of the int-preserving kernels; they wrap around like C int32. */
const INT_FNS: Record<(typeof INT_PRESERVING_UNARY_KERNELS)[number], ScalarFn> = {
  Neg: (x) => -x | 0, // -(-2^31) wraps to -2^31
  Abs: (x) => Math.abs(x) | 0, // so does |-2^31|
  Square: (x) => Math.imul(x, x),
  Sign: sign,
  Relu: (x) => (x > 0 ? x : 0),
};

/** The float32 form of a unary kernel as a function of one number (computed in float64). */
export function floatUnaryFunction(name: UnaryKernelName): ScalarFn {
  return FLOAT_FNS[name];
}

function unaryKernel(name: UnaryKernelName): KernelConfig {
  const intFn: ScalarFn | undefined = (INT_FNS as Partial<Record<UnaryKernelName, ScalarFn>>)[name];
  const floatFn = FLOAT_FNS[name];
  return {
    kernelName: name,
    backendName: 'js',
    kernelFunc: ([x]: CpuTensor[], attrs: Attrs): CpuTensor => {
      // Float kernels always give float32; int-preserving ones keep int32 (bool counts as int32).
      const isInt = x.dtype !== 'float32' && intFn !== undefined;
      const fn = isInt ? intFn : floatFn;
      const src = x.data;
      const data = isInt ? new Int32Array(src.length) : jsArrayFor('float32', src.length);
      for (let i = 0; i < src.length; i++) data[i] = fn(src[i], attrs);
      return { shape: [...x.shape], dtype: isInt ? 'int32' : 'float32', data };
    },
  };
}

export const kernels: KernelConfig[] = [...FLOAT_UNARY_KERNELS, ...INT_PRESERVING_UNARY_KERNELS].map(unaryKernel);
