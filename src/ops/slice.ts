/** slice, split, unstack: copies of regions of a tensor. */
import { runKernel1, tidy } from '../engine.js';
import { normalizeAxis, shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { toTensor, type TensorLike } from './convert.js';
import { squeeze } from './reshape.js';

/** begin / size per axis (a number applies to axis 0); size -1 runs to the end. */
export function slice(x: TensorLike, begin: number | number[], size?: number | number[]): Tensor {
  const t = toTensor(x, 'x', 'slice');
  const b = typeof begin === 'number' ? [begin] : begin.slice();
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : size.slice();
  if (b.length > t.rank || s.length > t.rank) {
    throw new RangeError(`slice: begin ${JSON.stringify(begin)} / size ${JSON.stringify(size)} have more entries than the rank ${t.rank} of shape ${shapeToString(t.shape)}`);
  }
  const fullBegin = t.shape.map((_, i) => b[i] ?? 0);
  const fullSize = t.shape.map((d, i) => (s[i] === undefined || s[i] === -1 ? d - fullBegin[i] : s[i]));
  t.shape.forEach((d, i) => {
    const bi = fullBegin[i];
    const si = fullSize[i];
    if (!Number.isInteger(bi) || !Number.isInteger(si) || bi < 0 || si < 0 || bi + si > d) {
      throw new RangeError(`slice: begin ${shapeToString(fullBegin)} with size ${shapeToString(fullSize)} is out of bounds for shape ${shapeToString(t.shape)} (axis ${i}: ${bi} + ${si} > ${d})`);
    }
  });
  return runKernel1('Slice', [t], { begin: fullBegin, size: fullSize });
}

/** Splits along axis into n equal parts, or into parts of the given sizes (one may be -1). */
export function split(x: TensorLike, numOrSizeSplits: number | number[], axis = 0): Tensor[] {
  const t = toTensor(x, 'x', 'split');
  const a = normalizeAxis(axis, t.rank, 'split');
  const dim = t.shape[a];
  let sizes: number[];
  if (typeof numOrSizeSplits === 'number') {
    if (!Number.isInteger(numOrSizeSplits) || numOrSizeSplits <= 0 || dim % numOrSizeSplits !== 0) {
      throw new RangeError(`split: axis ${a} of shape ${shapeToString(t.shape)} (size ${dim}) cannot be split into ${numOrSizeSplits} equal parts`);
    }
    sizes = new Array(numOrSizeSplits).fill(dim / numOrSizeSplits);
  } else {
    sizes = numOrSizeSplits.slice();
    const unknown = sizes.filter((v) => v === -1).length;
    const known = sizes.filter((v) => v !== -1).reduce((p, v) => p + v, 0);
    if (unknown > 1 || sizes.some((v) => !Number.isInteger(v) || v < -1)) {
      throw new RangeError(`split: sizes ${JSON.stringify(numOrSizeSplits)} must be non-negative integers with at most one -1`);
    }
    if (unknown === 1) sizes = sizes.map((v) => (v === -1 ? dim - known : v));
    if (sizes.reduce((p, v) => p + v, 0) !== dim || sizes.some((v) => v < 0)) {
      throw new RangeError(`split: sizes ${JSON.stringify(numOrSizeSplits)} do not add up to ${dim}, the size of axis ${a} of shape ${shapeToString(t.shape)}`);
    }
  }
  let offset = 0;
  return sizes.map((s) => {
    const begin = t.shape.map((_, i) => (i === a ? offset : 0));
    const size = t.shape.map((d, i) => (i === a ? s : d));
    offset += s;
    return slice(t, begin, size);
  });
}

/** The slices along axis, each without that axis. */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor(x, 'x', 'unstack');
  const a = normalizeAxis(axis, t.rank, 'unstack');
  return tidy(() => split(t, Math.max(t.shape[a], 1), a).map((part) => squeeze(part, [a])));
}
