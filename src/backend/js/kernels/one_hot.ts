/** OneHot {depth}: int32 [...indices.shape, depth]; row k has a 1 at indices[k], or none if out of range. */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';

function oneHot([indices]: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const depth = attrs.depth as number;
  const idx = indices.data;
  const out = new Int32Array(idx.length * depth);
  for (let k = 0; k < idx.length; k++) {
    if (idx[k] >= 0 && idx[k] < depth) out[k * depth + idx[k]] = 1;
  }
  return { shape: [...indices.shape, depth], dtype: 'int32', data: out };
}

export const kernels: KernelConfig[] = [{ kernelName: 'OneHot', backendName: 'js', kernelFunc: oneHot }];
