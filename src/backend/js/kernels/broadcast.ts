/**
 * Shared helpers of the js kernels: strided iteration (one helper serves broadcasting,
 * Transpose, Slice, Tile and Pad) and the scalar conversions of Cast.
 */
import type { CpuTensor } from '../../kernel.js';
import { broadcastStrides, shapesEqual, sizeOf } from '../../../shape.js';
import type { DType, TypedArray } from '../../../types.js';
import { jsArrayFor } from '../precision.js';

/**
 * For each position of `shape` in row-major order, the element offset `base + sum(index[d] *
 * strides[d])`. Walks the index like an odometer, so each step costs O(1) amortised.
 */
export function stridedOffsets(shape: readonly number[], strides: readonly number[], base = 0): Int32Array {
  const size = sizeOf(shape);
  const offsets = new Int32Array(size);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let offset = base;
  for (let i = 0; i < size; i++) {
    offsets[i] = offset;
    for (let d = rank - 1; d >= 0; d--) {
      offset += strides[d];
      if (++index[d] < shape[d]) break;
      offset -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return offsets;
}

/**
 * Offsets that read a tensor of `shape` as its broadcast to `outShape`, or null when no
 * broadcasting is needed (then element i is at offset i).
 */
export function broadcastOffsets(shape: readonly number[], outShape: readonly number[]): Int32Array | null {
  if (shapesEqual(shape, outShape)) return null;
  return stridedOffsets(outShape, broadcastStrides(shape, outShape));
}

/** A new tensor whose element i is `source.data[offsets[i]]`. */
export function gatherOffsets(source: CpuTensor, shape: number[], offsets: Int32Array): CpuTensor {
  const data = jsArrayFor(source.dtype, offsets.length);
  const src = source.data;
  for (let i = 0; i < offsets.length; i++) data[i] = src[offsets[i]];
  return { shape, dtype: source.dtype, data };
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** float -> int32: truncates toward zero, NaN gives 0, out-of-range values clamp. */
export function toInt32(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x <= INT32_MIN) return INT32_MIN;
  if (x >= INT32_MAX) return INT32_MAX;
  return Math.trunc(x);
}

/** A number as stored in `dtype` under Cast's rules (bool: x != 0, so NaN is true). */
export function castScalar(x: number, dtype: DType): number {
  switch (dtype) {
    case 'float32': return Math.fround(x);
    case 'int32': return toInt32(x);
    case 'bool': return x !== 0 ? 1 : 0;
  }
}

/** A new array of `dtype` holding every element of `source` converted by Cast's rules. */
export function castArray(source: TypedArray, sourceDType: DType, dtype: DType): TypedArray {
  const out = jsArrayFor(dtype, source.length);
  if (dtype === 'int32' && sourceDType === 'float32') {
    for (let i = 0; i < source.length; i++) out[i] = toInt32(source[i]);
  } else if (dtype === 'bool') {
    for (let i = 0; i < source.length; i++) out[i] = source[i] !== 0 ? 1 : 0;
  } else {
    out.set(source); // exact (int/bool -> int) or rounded to nearest (-> float32; exact in the float64 reference mode)
  }
  return out;
}
