/** Turning user values (numbers, nested arrays, typed arrays) into tensors, and dtype promotion. */
import { makeTensorFromValues, runKernel1 } from '../engine.js';
import { getBackend } from '../backend/selector.js';
import { jsArrayFor } from '../backend/js/precision.js';
import { shapeToString, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertDType, typedArrayFor, type BackendName, type DType, type NestedArray, type TypedArray } from '../types.js';

export type TensorLike = Tensor | NestedArray | TypedArray;

function inferShape(values: NestedArray, where: string): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  // Every branch must have the same shape as the first one (no ragged arrays).
  const check = (v: NestedArray, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (Array.isArray(v)) throw new Error(`${where}: ragged nested array: element ${path} is an array, expected a number (shape ${shapeToString(shape)})`);
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new TypeError(`${where}: element ${path} is ${typeof v}, expected a number or boolean`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new Error(`${where}: ragged nested array: element ${path || 'at the top'} has ${Array.isArray(v) ? `length ${v.length}` : 'no length'}, expected length ${shape[axis]} (shape ${shapeToString(shape)})`);
    }
    v.forEach((item, i) => check(item, axis + 1, `${path}[${i}]`));
  };
  check(values, 0, '');
  return shape;
}

function inferDType(values: TensorLike): DType {
  if (values instanceof Int32Array || values instanceof Uint8Array) return 'int32';
  if (typeof values === 'boolean') return 'bool';
  if (Array.isArray(values)) {
    let first: NestedArray = values;
    while (Array.isArray(first) && first.length > 0) first = first[0];
    if (typeof first === 'boolean') return 'bool';
  }
  return 'float32';
}

/** Validates an explicit shape argument. */
export function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape.slice();
}

/** A new tensor holding a copy of the values, on the given backend (default: the active one). */
export function makeTensor(values: NestedArray | TypedArray, shape: number[] | undefined, dtype: DType | undefined, backendName?: BackendName, where = 'tensor'): Tensor {
  const resolvedDType = dtype ?? inferDType(values);
  assertDType(resolvedDType, where);
  let flat: ArrayLike<number | boolean>;
  let inferred: number[];
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    inferred = [flat.length];
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [values];
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values, where);
    flat = (values as unknown[]).flat(Infinity) as (number | boolean)[];
  } else {
    throw new TypeError(`${where}: values must be a number, boolean, (nested) array or typed array, got ${values === null ? 'null' : typeof values}`);
  }
  let finalShape = inferred;
  if (shape !== undefined) {
    finalShape = checkShape(shape, where);
    const needed = sizeOf(finalShape);
    const scalarFill = inferred.length === 0 && flat.length === 1;
    if (!scalarFill && needed !== flat.length) {
      throw new Error(`${where}: shape ${shapeToString(finalShape)} needs ${needed} values, got ${flat.length}`);
    }
  }
  const size = sizeOf(finalShape);
  const target = backendName ?? getBackend();
  // The js backend's float64 reference mode keeps float32 values unrounded (gradient checks).
  const data = target === 'js' ? jsArrayFor(resolvedDType, size) : typedArrayFor(resolvedDType, size);
  if (flat.length === 1 && size !== 1) data.fill(Number(flat[0]));
  else if (resolvedDType === 'bool') for (let i = 0; i < size; i++) data[i] = flat[i] ? 1 : 0;
  else for (let i = 0; i < size; i++) data[i] = Number(flat[i]);
  return makeTensorFromValues(finalShape, resolvedDType, data, target);
}

/** Tensors pass through; other values become tensors (on `like`'s backend when given). */
export function toTensor(x: TensorLike, argName: string, opName: string, like?: Tensor): Tensor {
  if (x instanceof Tensor) {
    x.assertLive();
    return x;
  }
  if (x === null || x === undefined) throw new TypeError(`${opName}: argument '${argName}' is ${x}; expected a tensor, number or array`);
  // A plain integer next to an int32 tensor stays int32, as in tfjs.
  const dtype = typeof x === 'number' && like && like.dtype !== 'float32' && Number.isInteger(x) ? 'int32' : undefined;
  return makeTensor(x, undefined, dtype, like?.backend, `${opName} (argument '${argName}')`);
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

export function upcastType(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = toTensor(x, 'x', 'cast');
  assertDType(dtype, 'cast');
  return runKernel1('Cast', [t], { dtype });
}

/** A new tensor with x's values (tfjs' clone): disposing either leaves the other intact. */
export function clone(x: TensorLike): Tensor {
  const t = toTensor(x, 'x', 'clone');
  return runKernel1('Cast', [t], { dtype: t.dtype });
}

/** x itself when it already has the dtype, else a cast copy (used by ops to align inputs). */
export function asType(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : runKernel1('Cast', [x], { dtype });
}

/** Index arguments (gather, oneHot, labels): tensors pass through; integer arrays become int32. */
export function toIndexTensor(x: TensorLike, argName: string, opName: string, like?: Tensor): Tensor {
  const t = x instanceof Tensor ? toTensor(x, argName, opName) : makeTensor(x, undefined, 'int32', like?.backend, `${opName} (argument '${argName}')`);
  if (!(x instanceof Tensor)) {
    const flat = typeof x === 'number' ? [x] : ArrayBuffer.isView(x) ? Array.from(x as TypedArray) : ((x as unknown[]).flat(Infinity) as number[]);
    if (flat.some((v) => !Number.isInteger(v))) throw new TypeError(`${opName}: ${argName} must be integers, got ${JSON.stringify(flat.slice(0, 8))}`);
  }
  if (t.dtype !== 'int32') throw new TypeError(`${opName}: ${argName} must be int32, got ${t.dtype}`);
  return t;
}
