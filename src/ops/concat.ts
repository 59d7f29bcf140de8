/** concat and stack: joining tensors along an axis. */
import { runKernel1, tidy } from '../engine.js';
import { normalizeAxis, shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asType, toTensor, upcastType, type TensorLike } from './convert.js';
import { expandDims } from './reshape.js';

export function concat(tensors: TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError('concat: expected a non-empty array of tensors');
  return tidy(() => {
    const ts = tensors.map((x, i) => toTensor(x, `tensors[${i}]`, 'concat'));
    const rank = ts[0].rank;
    if (rank === 0) throw new RangeError('concat: cannot concatenate scalars (rank 0); use stack');
    const a = normalizeAxis(axis, rank, 'concat');
    ts.forEach((t, i) => {
      const mismatch = t.rank !== rank || t.shape.some((d, j) => j !== a && d !== ts[0].shape[j]);
      if (mismatch) {
        throw new RangeError(`concat: tensors[${i}] has shape ${shapeToString(t.shape)}, incompatible with tensors[0] of shape ${shapeToString(ts[0].shape)} along axis ${a} (all dimensions but the axis must match)`);
      }
    });
    const dtype = ts.map((t) => t.dtype).reduce(upcastType);
    return runKernel1('Concat', ts.map((t) => asType(t, dtype)), { axis: a });
  });
}

/** Joins same-shape tensors along a new axis. */
export function stack(tensors: TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError('stack: expected a non-empty array of tensors');
  return tidy(() => {
    const ts = tensors.map((x, i) => toTensor(x, `tensors[${i}]`, 'stack'));
    ts.forEach((t, i) => {
      if (t.rank !== ts[0].rank || t.shape.some((d, j) => d !== ts[0].shape[j])) {
        throw new RangeError(`stack: tensors[${i}] has shape ${shapeToString(t.shape)}, but tensors[0] has shape ${shapeToString(ts[0].shape)}; all must match`);
      }
    });
    const a = normalizeAxis(axis, ts[0].rank + 1, 'stack');
    return concat(ts.map((t) => expandDims(t, a)), a);
  });
}
