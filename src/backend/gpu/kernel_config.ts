/**
 * How a gpu kernel is registered: what it computes on the device, and when it hands the work to
 * the js kernel instead (int32 arithmetic, which float32 would not keep exact, and tensors
 * beyond float32's exact indices), with a one-time notice saying which and why.
 */
import type { KernelFn, KernelName, TensorInfo } from '../kernel.js';
import { findKernel, type KernelConfig } from '../registry.js';
import { runOnHost } from '../host_fallback.js';
import { sizeOf } from '../../shape.js';
import { warnOnce } from '../../util/warn.js';
import type { GpuData } from './backend.js';
import { gpuBackend, MAX_GPU_ELEMENTS } from './program.js';

export interface GpuKernelOptions {
  /** Inputs that may be int32 because they hold indices or labels (exact as floats). */
  indexInputs?: readonly number[];
}

function hostReason(inputs: readonly TensorInfo[], indexInputs: readonly number[]): string | null {
  if (inputs.some((t, i) => t.dtype === 'int32' && !indexInputs.includes(i))) return 'int32 data (the gpu holds numbers as float32, exact only below 2^24)';
  if (inputs.some((t) => sizeOf(t.shape) > MAX_GPU_ELEMENTS)) return `tensors over ${MAX_GPU_ELEMENTS} elements`;
  return null;
}

/** The host equivalent of a gpu kernel: the js kernel on read-back inputs. */
export function onHost(kernelName: KernelName, inputs: readonly TensorInfo[], attrs: Record<string, unknown>): TensorInfo<GpuData>[] {
  const jsKernel = findKernel(kernelName, 'js');
  if (!jsKernel) throw new Error(`internal error: no js kernel ${kernelName}`);
  return runOnHost(gpuBackend(), jsKernel, inputs, attrs) as TensorInfo<GpuData>[];
}

export function gpuKernel(kernelName: KernelName, run: KernelFn<GpuData>, options: GpuKernelOptions = {}): KernelConfig {
  const indexInputs = options.indexInputs ?? [];
  return {
    kernelName,
    backendName: 'gpu',
    kernelFunc: (inputs: TensorInfo<GpuData>[], attrs) => {
      const reason = hostReason(inputs, indexInputs);
      if (reason === null) return run(inputs, attrs);
      warnOnce(`gpu-host-${kernelName}-${reason}`, `gpu backend: ${kernelName} runs on the CPU for ${reason}`);
      return onHost(kernelName, inputs, attrs);
    },
  };
}
