/**
 * The native kernels' output arrays, reused. A kernel takes its output here; when the last
 * tensor over that storage is disposed, the native backend gives the array back, and the next
 * output of the same type and length gets it. A training step makes the same outputs every
 * step, so in the steady state it allocates nothing and leaves the garbage collector nothing.
 * Only arrays taken here ever come back: an array a user handed in (zero-copy) never does.
 * A reused array holds old values, so kernels write every element of their outputs.
 *
 * Small arrays are pooled too. V8 makes a typed array of up to 64 bytes inside its heap, for next
 * to nothing, but the first time the addon reads its address V8 moves it out to a backing store
 * of its own (a malloc, and later the free): made fresh every step, a step's loss and metric
 * values and its 10-unit bias gradients paid that each time.
 */
import { DTYPES, typedArrayFor, type DType, type TypedArray } from '../../types.js';

/** Free arrays kept per (type, length), and in all: a bound on memory held for reuse. */
const MAX_FREE_PER_SIZE = 16;
const MAX_FREE_BYTES = 128 * 2 ** 20;

export interface OutputPoolStats {
  /** Arrays allocated because none of the size was free. */
  allocated: number;
  /** Arrays handed out again. */
  reused: number;
  /** Bytes in arrays waiting for reuse. */
  freeBytes: number;
}

const free = new Map<number, TypedArray[]>();
/** Arrays that came from here (so may go back), the ones now free excluded. */
const owned = new WeakSet<TypedArray>();
const stats: OutputPoolStats = { allocated: 0, reused: 0, freeBytes: 0 };

const keyOf = (dtype: DType, length: number) => length * DTYPES.length + DTYPES.indexOf(dtype);

/** An output array of `length` elements (its contents are not zeroed when reused). */
export function takeOutput(dtype: DType, length: number): TypedArray {
  const list = free.get(keyOf(dtype, length));
  const reused = list?.pop();
  if (reused) {
    stats.reused++;
    stats.freeBytes -= reused.byteLength;
    owned.add(reused);
    return reused;
  }
  const fresh = typedArrayFor(dtype, length);
  stats.allocated++;
  owned.add(fresh);
  return fresh;
}

/** A float32 output array (the common case). */
export function takeFloat32(length: number): Float32Array {
  return takeOutput('float32', length) as Float32Array;
}

/** Storage no tensor refers to any more: kept for reuse if it came from takeOutput. */
export function giveBack(array: TypedArray): void {
  if (!owned.has(array)) return;
  owned.delete(array);
  if (stats.freeBytes + array.byteLength > MAX_FREE_BYTES) return;
  const dtype: DType = array instanceof Float32Array ? 'float32' : array instanceof Int32Array ? 'int32' : 'bool';
  const key = keyOf(dtype, array.length);
  let list = free.get(key);
  if (!list) free.set(key, (list = []));
  if (list.length >= MAX_FREE_PER_SIZE) return;
  list.push(array);
  stats.freeBytes += array.byteLength;
}

export function outputPoolStats(): OutputPoolStats {
  return { ...stats };
}
