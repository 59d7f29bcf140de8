/** Tensors made from values or by formula: tensor, scalar, zeros, ones, full, arange, linspace, eye. */
import type { Tensor } from '../tensor.js';
import { assertDType, type DType, type NestedArray, type TypedArray } from '../types.js';
import { checkShape, makeTensor, toTensor, type TensorLike } from './convert.js';

export function tensor(values: NestedArray | TypedArray, shape?: number[], dtype?: DType): Tensor {
  return makeTensor(values, shape, dtype);
}

export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`scalar: value must be a number or boolean, got ${typeof value}`);
  }
  return makeTensor(value, [], dtype, undefined, 'scalar');
}

export function full(shape: number[], value: number | boolean, dtype?: DType): Tensor {
  const s = checkShape(shape, 'full');
  return makeTensor(value, s, dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'), undefined, 'full');
}

export function zeros(shape: number[], dtype: DType = 'float32'): Tensor {
  assertDType(dtype, 'zeros');
  return makeTensor(0, checkShape(shape, 'zeros'), dtype, undefined, 'zeros');
}

export function ones(shape: number[], dtype: DType = 'float32'): Tensor {
  assertDType(dtype, 'ones');
  return makeTensor(1, checkShape(shape, 'ones'), dtype, undefined, 'ones');
}

export function zerosLike(x: TensorLike): Tensor {
  const t = toTensor(x, 'x', 'zerosLike');
  return makeTensor(0, t.shape, t.dtype, t.backend, 'zerosLike');
}

export function onesLike(x: TensorLike): Tensor {
  const t = toTensor(x, 'x', 'onesLike');
  return makeTensor(1, t.shape, t.dtype, t.backend, 'onesLike');
}

function checkFinite(where: string, values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${where}: ${name} must be a finite number, got ${v}`);
  }
}

/** [start, stop) by step; arange(n) is [0, n). int32 when all arguments are integers. */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  checkFinite('arange', { start, stop, step });
  if (step === 0) throw new RangeError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const resolved = dtype ?? (Number.isInteger(start) && Number.isInteger(step) ? 'int32' : 'float32');
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  return makeTensor(values, [n], resolved, undefined, 'arange');
}

export function linspace(start: number, stop: number, num: number): Tensor {
  checkFinite('linspace', { start, stop });
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  const values = Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : start + i * step));
  return makeTensor(values, [num], 'float32', undefined, 'linspace');
}

export function eye(numRows: number, numColumns = numRows, dtype: DType = 'float32'): Tensor {
  for (const [name, v] of [['numRows', numRows], ['numColumns', numColumns]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`eye: ${name} must be a non-negative integer, got ${v}`);
  }
  const values = new Float32Array(numRows * numColumns);
  for (let i = 0; i < Math.min(numRows, numColumns); i++) values[i * numColumns + i] = 1;
  return makeTensor(values, [numRows, numColumns], dtype, undefined, 'eye');
}
