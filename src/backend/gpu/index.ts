/**
 * Opens the gpu backend: the device thread (WebGPU through Dawn's `webgpu` package, gpu.js
 * kernels) and the gpu kernels. Opening happens once per process; its failure is remembered
 * and reported as the reason the backend is unavailable.
 */
import { composedDenseStack } from '../dense_stack.js';
import { registerKernels } from '../registry.js';
import { GpuBackend, type GpuData } from './backend.js';
import { GpuDevice } from './device.js';
import { gpuBackend, setLaunchBackend } from './program.js';
import { kernels as elementwise } from './kernels/elementwise.js';
import { kernels as layout } from './kernels/layout.js';
import { kernels as matmul } from './kernels/matmul.js';
import { kernels as optimizerUpdates } from './kernels/optimizer_updates.js';
import { kernels as reduce } from './kernels/reduce.js';

/** How to get a WebGPU adapter where there is none. */
export const GPU_SETUP_HINT =
  'the gpu backend needs a WebGPU adapter from Dawn (the `webgpu` npm package) over Vulkan: on Linux install a Vulkan driver ' +
  '(Mesa 24 or newer, e.g. `apt-get install -t bookworm-backports mesa-vulkan-drivers` on Debian 12) and set XDG_RUNTIME_DIR';

/** Every kernel the gpu backend has (the rest run on the CPU: the js kernel on read-back inputs). */
export const GPU_KERNELS = [
  ...elementwise, ...layout, ...matmul, ...reduce, ...optimizerUpdates,
  composedDenseStack<GpuData>('gpu', (data) => gpuBackend().dispose(data)),
];

let opened: { backend: GpuBackend | null; error: string | null } | null = null;

/** The gpu backend, opened on first call; null with `gpuUnavailableReason()` set when it cannot be. */
export function openGpuBackend(): GpuBackend | null {
  if (!opened) {
    try {
      const backend = new GpuBackend(GpuDevice.open());
      setLaunchBackend(backend);
      registerKernels(GPU_KERNELS);
      opened = { backend, error: null };
    } catch (e) {
      opened = { backend: null, error: e instanceof Error ? e.message : String(e) };
    }
  }
  return opened.backend;
}

export function gpuUnavailableReason(): string | null {
  openGpuBackend();
  return opened!.error === null ? null : `no WebGPU device (${opened!.error}); ${GPU_SETUP_HINT}`;
}

/** What the gpu device holds, if the gpu backend has been opened (null otherwise). */
export function gpuMemory(): { numBuffers: number; numBytes: number } | null {
  const backend = opened?.backend;
  if (!backend) return null;
  const { buffers, bytes } = backend.device.stats();
  return { numBuffers: buffers, numBytes: bytes };
}

/** The adapter the gpu backend runs on, e.g. 'mesa llvmpipe ...', or null with the reason in gpuUnavailableReason(). */
export function gpuAdapterDescription(): string | null {
  return openGpuBackend()?.device.adapterDescription ?? null;
}
