/**
 * Binary kernels with NumPy broadcasting. Float32 arithmetic computes in float64 and rounds
 * once on store (correctly rounded for + - * /); int32 arithmetic wraps like C int32.
 * Comparisons give bool (NaN compares unequal to everything).
 */
import {
  ARITHMETIC_BINARY_KERNELS,
  COMPARISON_BINARY_KERNELS,
  type CpuTensor,
} from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { broadcastShapes, sizeOf } from '../../../shape.js';
import type { DType } from '../../../types.js';
import { jsArrayFor } from '../precision.js';
import { broadcastOffsets, toInt32 } from './broadcast.js';

type ScalarFn = (a: number, b: number) => number;
type ArithmeticName = (typeof ARITHMETIC_BINARY_KERNELS)[number];
type ComparisonName = (typeof COMPARISON_BINARY_KERNELS)[number];

/** a ** b with C's pow special cases (1 ** y = 1, (-1) ** ±Inf = 1) where JS gives NaN. */
function pow(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return Math.pow(a, b);
}

const FLOAT_FNS: Record<ArithmeticName, ScalarFn> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  FloorDiv: (a, b) => Math.floor(a / b),
  Pow: pow,
  Maximum: (a, b) => Math.max(a, b), // NaN if either is NaN
  Minimum: (a, b) => Math.min(a, b),
};

const INT_FNS: Record<ArithmeticName, ScalarFn> = {
  Add: (a, b) => (a + b) | 0,
  Sub: (a, b) => (a - b) | 0,
  Mul: (a, b) => Math.imul(a, b),
  Div: () => {
    throw new TypeError('Div: the kernel takes float32 only (int32 division is FloorDiv)');
  },
  // Exact: a / b in float64 never crosses an integer for int32 operands. (-2^31) / -1 wraps.
  FloorDiv: (a, b) => (b === 0 ? 0 : Math.floor(a / b) | 0),
  Pow: (a, b) => toInt32(pow(a, b)),
  Maximum: (a, b) => (a > b ? a : b),
  Minimum: (a, b) => (a < b ? a : b),
};

const COMPARE_FNS: Record<ComparisonName, (a: number, b: number) => boolean> = {
  Equal: (a, b) => a === b,
  NotEqual: (a, b) => a !== b,
  Greater: (a, b) => a > b,
  GreaterEqual: (a, b) => a >= b,
  Less: (a, b) => a < b,
  LessEqual: (a, b) => a <= b,
};

/** Applies fn elementwise over the broadcast of a and b; the output is typed `dtype`. */
function broadcastBinary(name: string, a: CpuTensor, b: CpuTensor, dtype: DType, fn: ScalarFn): CpuTensor {
  if (a.dtype !== b.dtype) throw new TypeError(`${name}: operands must share a dtype, got ${a.dtype} and ${b.dtype}`);
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = jsArrayFor(dtype, sizeOf(shape));
  const offA = broadcastOffsets(a.shape, shape);
  const offB = broadcastOffsets(b.shape, shape);
  const da = a.data;
  const db = b.data;
  for (let i = 0; i < out.length; i++) {
    out[i] = fn(da[offA === null ? i : offA[i]], db[offB === null ? i : offB[i]]);
  }
  return { shape, dtype, data: out };
}

function arithmeticKernel(name: ArithmeticName): KernelConfig {
  return {
    kernelName: name,
    backendName: 'js',
    kernelFunc: ([a, b]: CpuTensor[]) =>
      broadcastBinary(name, a, b, a.dtype, a.dtype === 'float32' ? FLOAT_FNS[name] : INT_FNS[name]),
  };
}

function comparisonKernel(name: ComparisonName): KernelConfig {
  const compare = COMPARE_FNS[name];
  return {
    kernelName: name,
    backendName: 'js',
    kernelFunc: ([a, b]: CpuTensor[]) => broadcastBinary(name, a, b, 'bool', (x, y) => (compare(x, y) ? 1 : 0)),
  };
}

export const kernels: KernelConfig[] = [
  ...ARITHMETIC_BINARY_KERNELS.map(arithmeticKernel),
  ...COMPARISON_BINARY_KERNELS.map(comparisonKernel),
];
