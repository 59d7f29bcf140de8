/**
 * Tensor: shape, dtype, backend and a handle to storage. No math lives here: ops (src/ops)
 * are attached as methods by src/ops/chain.ts so that `t.add(u)` and `et.add(t, u)` are one
 * function.
 */
import type { DataHandle } from './engine.js';
import { disposeTensor, makeTensorFromValues } from './engine.js';
import { sizeOf } from './shape.js';
import { formatTensor } from './tensor_format.js';
import type { BackendName, DType, NestedArray, TypedArray } from './types.js';

let nextId = 0;

/** @internal The id the next tensor will get: every tensor with a smaller id existed before. */
export function nextTensorId(): number {
  return nextId;
}

export class Tensor {
  readonly id = nextId++;
  readonly shape: number[];
  readonly size: number;
  private disposed = false;

  /** @internal Use et.tensor() and the ops to make tensors. */
  constructor(shape: number[], readonly dtype: DType, /** @internal */ public handle: DataHandle) {
    this.shape = shape;
    this.size = sizeOf(shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  get backend(): BackendName {
    return this.handle.backendName;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal */
  markDisposed(): void {
    this.disposed = true;
  }

  /** @internal */
  assertLive(): void {
    if (this.disposed) throw new Error(`tensor ${this.id} (shape [${this.shape}]) has been disposed`);
  }

  /** The values, as a new typed array (Float32Array, Int32Array, or Uint8Array for bool). */
  async data(): Promise<TypedArray> {
    this.assertLive();
    return this.handle.backend.read(this.handle.data);
  }

  dataSync(): TypedArray {
    this.assertLive();
    return this.handle.backend.readSync(this.handle.data);
  }

  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  toString(verbose = false): string {
    return formatTensor(this.dataSync(), this.shape, this.dtype, verbose ? this.backend : null);
  }

  print(verbose = false): void {
    console.log(this.toString(verbose));
  }

  dispose(): void {
    disposeTensor(this);
  }

  /** A copy of this tensor on another backend. */
  to(backendName: BackendName): Tensor {
    this.assertLive();
    return makeTensorFromValues(this.shape.slice(), this.dtype, this.handle.backend.readSync(this.handle.data), backendName);
  }
}

function toNested(values: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const convert = dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return convert(values[0]);
  const build = (axis: number, offset: number): NestedArray[] => {
    const n = shape[axis];
    const stride = sizeOf(shape.slice(axis + 1));
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = axis === shape.length - 1 ? convert(values[offset + i]) : build(axis + 1, offset + i * stride);
    }
    return out;
  };
  return build(0, 0);
}
