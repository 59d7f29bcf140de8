/** Ops that change only the shape: the result shares the input's storage (no copy). */
import { makeView } from '../engine.js';
import { normalizeAxes, normalizeAxis, shapeToString, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { toTensor, type TensorLike } from './convert.js';

/** One dimension may be -1: it is inferred from the size. */
export function reshape(x: TensorLike, shape: number[]): Tensor {
  const t = toTensor(x, 'x', 'reshape');
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new TypeError(`reshape: shape must be an array of integers >= -1, got ${JSON.stringify(shape)}`);
  }
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new RangeError(`reshape: only one dimension may be -1, got ${shapeToString(shape)}`);
  let resolved = shape.slice();
  if (inferred === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || t.size % known !== 0) {
      throw new RangeError(`reshape: cannot reshape a tensor of shape ${shapeToString(t.shape)} (${t.size} elements) into ${shapeToString(shape)}`);
    }
    resolved = shape.map((d) => (d === -1 ? t.size / known : d));
  }
  if (sizeOf(resolved) !== t.size) {
    throw new RangeError(`reshape: cannot reshape a tensor of shape ${shapeToString(t.shape)} (${t.size} elements) into ${shapeToString(shape)} (${sizeOf(resolved)} elements)`);
  }
  return makeView(t, resolved);
}

/** The tensor as one dimension. */
export function flatten(x: TensorLike): Tensor {
  const t = toTensor(x, 'x', 'flatten');
  return makeView(t, [t.size]);
}

/** Removes size-1 dimensions (all of them, or the given axes, which must have size 1). */
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor {
  const t = toTensor(x, 'x', 'squeeze');
  let drop: number[];
  if (axis === undefined) {
    drop = t.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  } else {
    drop = normalizeAxes(axis, t.rank, 'squeeze');
    const bad = drop.find((a) => t.shape[a] !== 1);
    if (bad !== undefined) throw new RangeError(`squeeze: axis ${bad} of shape ${shapeToString(t.shape)} has size ${t.shape[bad]}, not 1`);
  }
  return makeView(t, t.shape.filter((_, i) => !drop.includes(i)));
}

/** Inserts a size-1 dimension at axis (in [-(rank+1), rank]). */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, 'x', 'expandDims');
  const a = normalizeAxis(axis, t.rank + 1, 'expandDims');
  const shape = t.shape.slice();
  shape.splice(a, 0, 1);
  return makeView(t, shape);
}
