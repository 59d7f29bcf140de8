/** Cast: float -> int truncates toward zero (NaN -> 0, clamped to int32); anything -> bool is x != 0. */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { DType } from '../../../types.js';
import { castArray } from './broadcast.js';

export const kernels: KernelConfig[] = [
  {
    kernelName: 'Cast',
    backendName: 'js',
    kernelFunc: ([x]: CpuTensor[], attrs): CpuTensor => {
      const dtype = attrs.dtype as DType;
      return { shape: [...x.shape], dtype, data: castArray(x.data, x.dtype, dtype) };
    },
  },
];
