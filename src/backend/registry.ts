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

const registry = new Map<string, KernelConfig>();
const key = (kernel: string, backend: string) => `${backend}/${kernel}`;

export function registerKernel(config: KernelConfig): void {
  const k = key(config.kernelName, config.backendName);
  if (registry.has(k)) throw new Error(`kernel ${config.kernelName} is registered twice for backend '${config.backendName}'`);
  registry.set(k, config);
}

export function registerKernels(configs: readonly KernelConfig[]): void {
  for (const c of configs) registerKernel(c);
}

export function findKernel(kernelName: string, backendName: BackendName): KernelConfig | undefined {
  return registry.get(key(kernelName, backendName));
}

export function registeredKernels(backendName: BackendName): KernelName[] {
  return [...registry.values()].filter((c) => c.backendName === backendName).map((c) => c.kernelName).sort();
}
