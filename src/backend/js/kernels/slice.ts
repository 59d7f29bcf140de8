/** Slice {begin, size}: the box x[begin[d] : begin[d] + size[d]] (both fully resolved). */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { stridesOf } from '../../../shape.js';
import { gatherOffsets, stridedOffsets } from './broadcast.js';

function slice([x]: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const begin = attrs.begin as number[];
  const size = (attrs.size as number[]).slice();
  const strides = stridesOf(x.shape);
  const start = begin.reduce((offset, b, d) => offset + b * strides[d], 0);
  return gatherOffsets(x, size, stridedOffsets(size, strides, start));
}

export const kernels: KernelConfig[] = [{ kernelName: 'Slice', backendName: 'js', kernelFunc: slice }];
