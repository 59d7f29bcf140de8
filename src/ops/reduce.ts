/**
 * Reductions. Every one reaches its kernel in the canonical form [outer, reduce, inner]:
 * reduced axes that are not adjacent are first transposed to the end.
 */
import { runKernel1, tidy } from '../engine.js';
import type { ReduceKernelName } from '../backend/kernel.js';
import { normalizeAxes, normalizeAxis, shapeToString, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asType, toTensor, type TensorLike } from './convert.js';
import { div, sub } from './binary.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';
import { square } from './unary.js';

export type Axis = number | number[];

function reduceAlong(kernel: ReduceKernelName, t: Tensor, axes: number[], keepDims: boolean): Tensor {
  const outShape = keepDims ? t.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : t.shape.filter((_, i) => !axes.includes(i));
  const adjacent = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
  let source = t;
  let [first, last] = [axes[0], axes[axes.length - 1]];
  if (!adjacent) {
    const kept = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    source = transpose(t, [...kept, ...axes]);
    [first, last] = [kept.length, t.rank - 1];
  }
  const shape = source.shape;
  const canonical = reshape(source, [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))]);
  return reshape(runKernel1(kernel, [canonical]), outShape);
}

function reduction(kernel: ReduceKernelName, opName: string, dtypeOf: (d: Tensor['dtype']) => Tensor['dtype']) {
  return (x: TensorLike, axis?: Axis, keepDims = false): Tensor =>
    tidy(() => {
      const t = toTensor(x, 'x', opName);
      const axes = normalizeAxes(axis, t.rank, opName);
      const input = asType(t, dtypeOf(t.dtype));
      // Reducing over no axes (or a scalar) leaves the values as they are.
      if (axes.length === 0) return runKernel1('Cast', [input], { dtype: input.dtype });
      return reduceAlong(kernel, input, axes, keepDims);
    });
}

const keepNumeric = (d: Tensor['dtype']) => (d === 'bool' ? 'int32' : d);
const toFloat = () => 'float32' as const;

export const sum = reduction('Sum', 'sum', keepNumeric);
export const prod = reduction('Prod', 'prod', keepNumeric);
export const max = reduction('Max', 'max', keepNumeric);
export const min = reduction('Min', 'min', keepNumeric);
/** log(sum(exp(x))) computed stably. */
export const logSumExp = reduction('LogSumExp', 'logSumExp', toFloat);

/** The mean, in float32 (int32 inputs too). */
export function mean(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return tidy(() => {
    const t = asType(toTensor(x, 'x', 'mean'), 'float32');
    const axes = normalizeAxes(axis, t.rank, 'mean');
    const count = sizeOf(axes.map((a) => t.shape[a]));
    return div(sum(t, axes, keepDims), count);
  });
}

/** Population variance (divides by n). */
export function variance(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return tidy(() => moments(x, axis, keepDims).variance);
}

export function moments(x: TensorLike, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  return tidy(() => {
    const t = asType(toTensor(x, 'x', 'moments'), 'float32');
    const axes = normalizeAxes(axis, t.rank, 'moments');
    const m = mean(t, axes, true);
    const v = mean(square(sub(t, m)), axes, keepDims);
    return { mean: keepDims ? m : reshape(m, v.shape), variance: v };
  });
}

function argReduction(kernel: 'ArgMax' | 'ArgMin', opName: string) {
  return (x: TensorLike, axis = 0): Tensor =>
    tidy(() => {
      const t = toTensor(x, 'x', opName);
      if (t.rank === 0) throw new RangeError(`${opName}: needs a tensor of rank >= 1, got a scalar`);
      const a = normalizeAxis(axis, t.rank, opName);
      if (t.shape[a] === 0) throw new RangeError(`${opName}: axis ${a} of shape ${shapeToString(t.shape)} is empty`);
      return reduceAlong(kernel, asType(t, keepNumeric(t.dtype)), [a], false);
    });
}

/** Index of the largest value along axis (default 0, as tfjs). */
export const argMax = argReduction('ArgMax', 'argMax');
export const argMin = argReduction('ArgMin', 'argMin');

/** Sums a broadcast result back to the shape of the operand that was broadcast. */
export function sumToShape(x: Tensor, shape: readonly number[]): Tensor {
  if (x.rank === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  return tidy(() => {
    const lead = x.rank - shape.length;
    const axes = x.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1));
    return reshape(sum(x, axes), shape.slice());
  });
}
