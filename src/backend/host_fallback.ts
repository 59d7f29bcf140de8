/**
 * Running a js kernel for a backend whose storage is device memory (gpu): the inputs are read
 * back, the js kernel runs on them and its outputs are uploaded. (For js and native, whose
 * storage is a typed array, the js kernel runs on the storage itself.)
 */
import type { Backend } from './backend.js';
import { OPTIMIZER_KERNELS, type TensorInfo } from './kernel.js';
import type { KernelConfig } from './registry.js';
import type { TypedArray } from '../types.js';

export function runOnHost(backend: Backend, jsKernel: KernelConfig, inputs: readonly TensorInfo[], attrs: Record<string, unknown>): TensorInfo[] {
  if ((OPTIMIZER_KERNELS as readonly string[]).includes(jsKernel.kernelName)) {
    // In-place kernels would update the read-back copies, not the device buffers.
    throw new Error(`backend '${backend.name}' has no ${jsKernel.kernelName} kernel, and an in-place kernel cannot run on copies of its inputs`);
  }
  const host = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype, data: backend.readSync(t.data) }));
  const out = jsKernel.kernelFunc(host, attrs);
  const list = Array.isArray(out) ? out : [out];
  return list.map((o) => ({ shape: o.shape, dtype: o.dtype, data: backend.upload(o.data as TypedArray, o.dtype) }));
}
