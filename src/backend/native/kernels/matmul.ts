import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { NativeAddon } from '../addon.js';
import { takeFloat32 } from '../output_pool.js';

export function matMulKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      kernelName: 'MatMul',
      backendName: 'native',
      kernelFunc: ([a, b]: CpuTensor[], attrs) => {
        const transposeA = attrs.transposeA === true;
        const transposeB = attrs.transposeB === true;
        // Two matrices are a batch of one.
        const matrices = a.shape.length === 2;
        const [batchA, a1, a2] = matrices ? [1, ...a.shape] : a.shape;
        const [batchB, b1, b2] = matrices ? [1, ...b.shape] : b.shape;
        const [m, k] = transposeA ? [a2, a1] : [a1, a2];
        const n = transposeB ? b1 : b2;
        const batch = Math.max(batchA, batchB);
        const out = takeFloat32(batch * m * n);
        addon.gemm(a.data as Float32Array, b.data as Float32Array, out, batch, m, n, k, transposeA, transposeB,
          batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n);
        return { shape: matrices ? [m, n] : [batch, m, n], dtype: 'float32', data: out };
      },
    },
  ];
}
