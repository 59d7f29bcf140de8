/**
 * The js backend's float64 reference mode (internal; not exported from the package root).
 *
 * Normally the js kernels compute in float64 and store float32 results in Float32Array. With
 * the reference mode on, they store float32-dtype results in Float64Array instead (the dtype
 * stays 'float32'; only the storage precision changes), so a chain of ops is evaluated in
 * float64 end to end. The gradient checks use it for their finite differences.
 *
 * Every js kernel allocates its output through `jsArrayFor`, and `makeTensor` does too when
 * the tensor goes to the js backend; that is the whole of the switch. Turn it on only around
 * js-backend work and always off again: `withJsFloat64Reference(fn)` does both. Tensors made
 * while it is on keep their Float64Array storage: do not hand them to another backend.
 */
import { typedArrayFor, type DType, type TypedArray } from '../../types.js';

let float64Reference = false;

/** Turns the float64 reference mode on or off; returns the previous setting. */
export function setJsFloat64Reference(on: boolean): boolean {
  const previous = float64Reference;
  float64Reference = on === true;
  return previous;
}

export function isJsFloat64Reference(): boolean {
  return float64Reference;
}

/** Runs fn with the float64 reference mode on, restoring the previous setting afterwards. */
export function withJsFloat64Reference<T>(fn: () => T): T {
  const previous = setJsFloat64Reference(true);
  try {
    return fn();
  } finally {
    setJsFloat64Reference(previous);
  }
}

/** Storage for a js tensor of `dtype`: float32 goes to Float64Array in the reference mode. */
export function jsArrayFor(dtype: DType, size: number): TypedArray {
  return float64Reference && dtype === 'float32' ? new Float64Array(size) : typedArrayFor(dtype, size);
}
