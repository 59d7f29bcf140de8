/**
 * The gpu backend's storage: every tensor is a float32 buffer on the device (int32 and bool
 * values as floats, exact below 2^24), named by an id the device thread knows. Buffers are
 * freed by dispose / tidy; a FinalizationRegistry frees those of tensors dropped undisposed.
 */
import type { Backend } from '../backend.js';
import type { DType, TypedArray } from '../../types.js';
import { GpuDevice } from './device.js';

/** A tensor's storage on the gpu backend. */
export interface GpuData {
  /** The device buffer; an in-place kernel (optimizer update) moves a new buffer in (replaceBuffer). */
  id: number;
  readonly length: number;
  readonly dtype: DType;
  /** The values as uploaded, kept for int32 / bool tensors (labels, indices, masks) so kernels can validate them without a readback. */
  readonly host: TypedArray | null;
}

function toFloat32(values: TypedArray): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

function fromFloat32(values: Float32Array, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32':
      return values;
    case 'int32':
      return Int32Array.from(values);
    case 'bool':
      return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
  }
}

export class GpuBackend implements Backend<GpuData> {
  readonly name = 'gpu' as const;
  readonly hostMemory = false;
  private readonly unreferenced: FinalizationRegistry<number>;

  constructor(readonly device: GpuDevice) {
    this.unreferenced = new FinalizationRegistry((id) => device.send({ op: 'free', ids: [id] }));
  }

  /** Storage for a buffer the device has (or will have, in command order) under `id`. */
  adopt(id: number, length: number, dtype: DType, host: TypedArray | null = null): GpuData {
    const data: GpuData = { id, length, dtype, host };
    this.unreferenced.register(data, id, data);
    return data;
  }

  upload(values: TypedArray, dtype: DType): GpuData {
    const id = this.device.newBufferId();
    this.device.send({ op: 'upload', id, values: toFloat32(values) });
    return this.adopt(id, values.length, dtype, dtype === 'float32' ? null : values);
  }

  /**
   * Moves `fresh`'s buffer into `data` (an in-place update's result), freeing data's old one;
   * `fresh` is spent (it must not be used or disposed afterwards).
   */
  replaceBuffer(data: GpuData, fresh: GpuData): void {
    this.unreferenced.unregister(fresh);
    this.unreferenced.unregister(data);
    this.device.send({ op: 'free', ids: [data.id] });
    data.id = fresh.id;
    this.unreferenced.register(data, data.id, data);
  }

  // An uploaded int32 / bool tensor reads from its kept copy: exact even beyond 2^24.
  async read(data: GpuData): Promise<TypedArray> {
    return data.host ? data.host.slice() : fromFloat32(await this.device.read(data.id), data.dtype);
  }

  readSync(data: GpuData): TypedArray {
    return data.host ? data.host.slice() : fromFloat32(this.device.readSync(data.id, data.length), data.dtype);
  }

  /** The values for reading only: the kept host copy itself (no copy), else read back. Kernels validate labels and indices with it. */
  hostValues(data: GpuData): TypedArray {
    return data.host ?? this.readSync(data);
  }

  cpuView(): null {
    return null;
  }

  dispose(data: GpuData): void {
    this.unreferenced.unregister(data);
    this.device.send({ op: 'free', ids: [data.id] });
  }
}
