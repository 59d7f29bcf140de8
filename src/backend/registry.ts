/**
 * Kernels registered by (kernel name, backend name). A backend that lacks a kernel runs the
 * js kernel instead, with a one-time notice naming it; `registeredKernels` lists what each
 * backend really implements (the generated docs/KERNELS.md and its test read it).
 */
import type { BackendName } from '../types.js';
import type { KernelFn, KernelName } from './kernel.js';

export interface KernelConfig {
  kernelName: KernelName;
  backendName: BackendName;
  kernelFunc: KernelFn<any>;
}

/** backend name -> kernel name -> kernel (looked up on every op, so no key strings are built). */
const registry = new Map<BackendName, Map<string, KernelConfig>>();

export function registerKernel(config: KernelConfig): void {
  let kernels = registry.get(config.backendName);
  if (!kernels) registry.set(config.backendName, (kernels = new Map()));
  if (kernels.has(config.kernelName)) throw new Error(`kernel ${config.kernelName} is registered twice for backend '${config.backendName}'`);
  kernels.set(config.kernelName, config);
}

export function registerKernels(configs: readonly KernelConfig[]): void {
  for (const c of configs) registerKernel(c);
}

export function findKernel(kernelName: string, backendName: BackendName): KernelConfig | undefined {
  return registry.get(backendName)?.get(kernelName);
}

export function registeredKernels(backendName: BackendName): KernelName[] {
  return [...(registry.get(backendName)?.keys() ?? [])].sort() as KernelName[];
}
