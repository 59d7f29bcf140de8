/** Element types of a tensor. `bool` is stored as 0/1 bytes. */
export type DType = 'float32' | 'int32' | 'bool';
export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];
/** Bytes of one element of each dtype in its CPU storage (see TypedArray). */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, int32: 4, bool: 1 };

/**
 * The typed array that stores each dtype on the CPU backends: Float32Array, Int32Array,
 * Uint8Array (bool). Float64Array holds float32-dtype values only in the js backend's internal
 * float64 reference mode (src/backend/js/precision.ts, used by the gradient checks).
 */
export type TypedArray = Float32Array | Int32Array | Uint8Array | Float64Array;

export type BackendName = 'native' | 'gpu' | 'js';

export type Shape = readonly number[];

/** Nested arrays of numbers / booleans, as accepted by `tensor()` and returned by `array()`. */
export type NestedArray = number | boolean | NestedArray[];

export function typedArrayFor(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'int32': return new Int32Array(size);
    case 'bool': return new Uint8Array(size);
  }
}

export function assertDType(dtype: unknown, where: string): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new TypeError(`${where}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.map((d) => `'${d}'`).join(', ')}`);
  }
}
