import {
  ARITHMETIC_BINARY_KERNELS,
  COMPARISON_BINARY_KERNELS,
  FLOAT_UNARY_KERNELS,
  INT_PRESERVING_UNARY_KERNELS,
  type CpuTensor,
} from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { broadcastShapes, sizeOf } from '../../../shape.js';
import type { DType } from '../../../types.js';
import { takeOutput } from '../output_pool.js';
import type { NativeAddon } from '../addon.js';

/** The two scalar parameters the addon's unary entry takes, per kernel. */
function unaryParams(name: string, attrs: Record<string, unknown>): [number, number] {
  if (name === 'LeakyRelu') return [attrs.alpha as number, 0];
  if (name === 'ClipByValue') return [attrs.min as number, attrs.max as number];
  return [0, 0];
}

export function elementwiseKernels(addon: NativeAddon): KernelConfig[] {
  const unary = [...FLOAT_UNARY_KERNELS, ...INT_PRESERVING_UNARY_KERNELS].map(
    (kernelName): KernelConfig => ({
      kernelName,
      backendName: 'native',
      kernelFunc: ([x]: CpuTensor[], attrs) => {
        const out = takeOutput(x.dtype, x.data.length);
        const [alpha, beta] = unaryParams(kernelName, attrs);
        addon.unary(kernelName, x.data, out, x.data.length, alpha, beta);
        return { shape: x.shape, dtype: x.dtype, data: out };
      },
    }),
  );
  const binary = (kernelName: string, outDType: (inDType: DType) => DType): KernelConfig => ({
    kernelName: kernelName as KernelConfig['kernelName'],
    backendName: 'native',
    kernelFunc: ([a, b]: CpuTensor[]) => {
      const shape = broadcastShapes(a.shape, b.shape, kernelName);
      const dtype = outDType(a.dtype);
      const out = takeOutput(dtype, sizeOf(shape));
      addon.binary(kernelName, a.data, a.shape, b.data, b.shape, out, shape);
      return { shape, dtype, data: out };
    },
  });
  const cast: KernelConfig = {
    kernelName: 'Cast',
    backendName: 'native',
    kernelFunc: ([x]: CpuTensor[], attrs) => {
      const dtype = attrs.dtype as DType;
      const out = takeOutput(dtype, x.data.length);
      addon.cast(x.data, out, x.data.length);
      return { shape: x.shape, dtype, data: out };
    },
  };
  return [
    ...unary,
    ...ARITHMETIC_BINARY_KERNELS.map((k) => binary(k, (d) => d)),
    ...COMPARISON_BINARY_KERNELS.map((k) => binary(k, () => 'bool')),
    cast,
  ];
}
