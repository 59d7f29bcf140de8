/** Transpose {perm}: output axis d is input axis perm[d]. */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { stridesOf } from '../../../shape.js';
import { gatherOffsets, stridedOffsets } from './broadcast.js';

function transpose([x]: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const perm = attrs.perm as number[];
  const strides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]);
  // Walking the output in order means stepping through the input with permuted strides.
  return gatherOffsets(x, shape, stridedOffsets(shape, perm.map((p) => strides[p])));
}

export const kernels: KernelConfig[] = [{ kernelName: 'Transpose', backendName: 'js', kernelFunc: transpose }];
