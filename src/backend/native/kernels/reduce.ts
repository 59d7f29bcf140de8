import { REDUCE_KERNELS, type CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { takeFloat32, takeOutput } from '../output_pool.js';
import type { NativeAddon } from '../addon.js';

export function reduceKernels(addon: NativeAddon): KernelConfig[] {
  const reductions = REDUCE_KERNELS.map(
    (kernelName): KernelConfig => ({
      kernelName,
      backendName: 'native',
      kernelFunc: ([x]: CpuTensor[]) => {
        const [outer, reduce, inner] = x.shape;
        const dtype = kernelName === 'ArgMax' || kernelName === 'ArgMin' ? 'int32' : x.dtype;
        const out = takeOutput(dtype, outer * inner);
        addon.reduce(kernelName, x.data, outer, reduce, inner, out);
        return { shape: [outer, inner], dtype, data: out };
      },
    }),
  );
  const softmax = (kernelName: 'Softmax' | 'LogSoftmax'): KernelConfig => ({
    kernelName,
    backendName: 'native',
    kernelFunc: ([x]: CpuTensor[]) => {
      const [rows, cols] = x.shape;
      const out = takeFloat32(rows * cols);
      addon.softmax(x.data as Float32Array, out, rows, cols, kernelName === 'LogSoftmax');
      return { shape: x.shape, dtype: 'float32', data: out };
    },
  });
  const sparseCrossEntropy: KernelConfig = {
    kernelName: 'SparseSoftmaxCrossEntropy',
    backendName: 'native',
    kernelFunc: ([logits, labels]: CpuTensor[], attrs) => {
      const [rows, cols] = logits.shape;
      const mean = attrs.reduction === 'mean';
      const loss = takeFloat32(mean ? 1 : rows);
      const grad = takeFloat32(rows * cols);
      addon.sparseSoftmaxCrossEntropy(logits.data as Float32Array, labels.data as Int32Array, loss, grad, rows, cols, mean);
      return [
        { shape: mean ? [] : [rows], dtype: 'float32', data: loss },
        { shape: [rows, cols], dtype: 'float32', data: grad },
      ];
    },
  };
  return [...reductions, softmax('Softmax'), softmax('LogSoftmax'), sparseCrossEntropy];
}
