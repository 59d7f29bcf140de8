/** Registers the native backend's kernels: thin wrappers that allocate the output and call the addon. */
import { registerKernels } from '../registry.js';
import type { NativeAddon } from './addon.js';
import { denseStackKernels } from './kernels/dense_stack.js';
import { elementwiseKernels } from './kernels/elementwise.js';
import { fusedMatMulKernels } from './kernels/fused_matmul.js';
import { layoutKernels } from './kernels/layout.js';
import { matMulKernels } from './kernels/matmul.js';
import { optimizerUpdateKernels } from './kernels/optimizer_updates.js';
import { reduceKernels } from './kernels/reduce.js';

let registered = false;

export function registerNativeKernels(addon: NativeAddon): void {
  if (registered) return;
  registered = true;
  registerKernels([
    ...elementwiseKernels(addon),
    ...matMulKernels(addon),
    ...fusedMatMulKernels(addon),
    ...denseStackKernels(addon),
    ...reduceKernels(addon),
    ...layoutKernels(addon),
    ...optimizerUpdateKernels(addon),
  ]);
}
