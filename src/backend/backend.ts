/**
 * A backend owns tensor storage and runs kernels on it (kernels live in the registry).
 * `js` and `native` keep storage as typed arrays on the CPU, so a kernel of one runs on the
 * storage of the other without a copy; that is what makes the js fallback free for them.
 */
import type { BackendName, DType, TypedArray } from '../types.js';

export interface Backend<Data = unknown> {
  readonly name: BackendName;
  /** Whether storage is a typed array in this process (js, native) rather than device memory. */
  readonly hostMemory: boolean;
  /** Storage for the values; CPU backends keep the array itself (the caller hands it over). */
  upload(values: TypedArray, dtype: DType): Data;
  /** The values as a new typed array the caller may keep and mutate. */
  read(data: Data): Promise<TypedArray>;
  readSync(data: Data): TypedArray;
  /** The typed array itself where the backend keeps one (CPU backends), for the js fallback. */
  cpuView(data: Data): TypedArray | null;
  dispose(data: Data): void;
}

export class CpuBackend implements Backend<TypedArray> {
  readonly hostMemory = true;
  constructor(readonly name: BackendName) {}
  upload(values: TypedArray): TypedArray {
    return values;
  }
  async read(data: TypedArray): Promise<TypedArray> {
    return data.slice();
  }
  readSync(data: TypedArray): TypedArray {
    return data.slice();
  }
  cpuView(data: TypedArray): TypedArray {
    return data;
  }
  dispose(_data: TypedArray): void {
    // The garbage collector frees typed arrays; nothing else holds them.
  }
}
