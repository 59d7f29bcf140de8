/** FusedMatMul and FusedMatMulGrad: one addon call each (denseForward / denseBackward). */
import { FUSED_ACTIVATIONS, type CpuTensor, type FusedActivation } from '../../kernel.js';
import { matMulDims } from '../../matmul_forms.js';
import { takeFloat32 } from '../output_pool.js';
import type { KernelConfig } from '../../registry.js';
import type { NativeAddon } from '../addon.js';

type Attrs = Record<string, unknown>;

function fusedArgs(a: CpuTensor, b: CpuTensor, attrs: Attrs) {
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  const { m, k, n } = matMulDims(a.shape, b.shape, transposeA, transposeB);
  const activation = FUSED_ACTIVATIONS.indexOf(attrs.activation as FusedActivation);
  return { m, n, k, transposeA, transposeB, activation, alpha: (attrs.alpha as number | undefined) ?? 0 };
}

export function fusedMatMulKernels(addon: NativeAddon): KernelConfig[] {
  const f32 = (t: CpuTensor) => t.data as Float32Array;
  return [
    {
      kernelName: 'FusedMatMul',
      backendName: 'native',
      kernelFunc: ([a, b, bias]: CpuTensor[], attrs) => {
        const s = fusedArgs(a, b, attrs);
        const y = takeFloat32(s.m * s.n);
        addon.denseForward(f32(a), f32(b), bias ? f32(bias) : null, y, s.m, s.n, s.k, s.transposeA, s.transposeB, s.activation, s.alpha);
        return { shape: [s.m, s.n], dtype: 'float32', data: y };
      },
    },
    {
      kernelName: 'FusedMatMulGrad',
      backendName: 'native',
      kernelFunc: ([dy, a, b, y]: CpuTensor[], attrs) => {
        const s = fusedArgs(a, b, attrs);
        const needs = attrs.needs as [boolean, boolean, boolean];
        const da = needs[0] ? takeFloat32(a.data.length) : null;
        const db = needs[1] ? takeFloat32(b.data.length) : null;
        const dbias = needs[2] ? takeFloat32(s.n) : null;
        addon.denseBackward(f32(dy), f32(a), f32(b), f32(y), da, db, dbias, s.m, s.n, s.k, s.transposeA, s.transposeB, s.activation, s.alpha);
        const outputs: CpuTensor[] = [];
        if (da) outputs.push({ shape: a.shape, dtype: 'float32', data: da });
        if (db) outputs.push({ shape: b.shape, dtype: 'float32', data: db });
        if (dbias) outputs.push({ shape: [s.n], dtype: 'float32', data: dbias });
        return outputs;
      },
    },
  ];
}
