/** Copy kernels: transpose, slice, concat, gather. */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { sizeOf } from '../../../shape.js';
import { typedArrayFor } from '../../../types.js';
import type { NativeAddon } from '../addon.js';

export function layoutKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      kernelName: 'Transpose',
      backendName: 'native',
      kernelFunc: ([x]: CpuTensor[], attrs) => {
        const perm = attrs.perm as number[];
        const shape = perm.map((p) => x.shape[p]);
        const out = typedArrayFor(x.dtype, x.data.length);
        addon.transpose(x.data, x.shape, perm, out);
        return { shape, dtype: x.dtype, data: out };
      },
    },
    {
      kernelName: 'Slice',
      backendName: 'native',
      kernelFunc: ([x]: CpuTensor[], attrs) => {
        const begin = attrs.begin as number[];
        const size = attrs.size as number[];
        const out = typedArrayFor(x.dtype, sizeOf(size));
        addon.slice(x.data, x.shape, begin, size, out);
        return { shape: size.slice(), dtype: x.dtype, data: out };
      },
    },
    {
      kernelName: 'Concat',
      backendName: 'native',
      kernelFunc: (xs: CpuTensor[], attrs) => {
        const axis = attrs.axis as number;
        const first = xs[0];
        const outer = sizeOf(first.shape.slice(0, axis));
        const inners = xs.map((x) => sizeOf(x.shape.slice(axis)));
        const shape = first.shape.slice();
        shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
        const out = typedArrayFor(first.dtype, sizeOf(shape));
        addon.concat(xs.map((x) => x.data), outer, inners, out);
        return { shape, dtype: first.dtype, data: out };
      },
    },
    {
      kernelName: 'Gather',
      backendName: 'native',
      kernelFunc: ([x, indices]: CpuTensor[], attrs) => {
        const axis = attrs.axis as number;
        const outer = sizeOf(x.shape.slice(0, axis));
        const inner = sizeOf(x.shape.slice(axis + 1));
        const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
        const out = typedArrayFor(x.dtype, sizeOf(shape));
        addon.gather(x.data, outer, x.shape[axis], inner, indices.data as Int32Array, out);
        return { shape, dtype: x.dtype, data: out };
      },
    },
  ];
}
