/** Where: [cond (bool), a, b], broadcast together -> cond ? a : b, in a's dtype. */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { broadcastShapes, sizeOf } from '../../../shape.js';
import { jsArrayFor } from '../precision.js';
import { broadcastOffsets } from './broadcast.js';

function where([cond, a, b]: CpuTensor[]): CpuTensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'Where'), b.shape, 'Where');
  const out = jsArrayFor(a.dtype, sizeOf(shape));
  const [offC, offA, offB] = [cond, a, b].map((t) => broadcastOffsets(t.shape, shape));
  for (let i = 0; i < out.length; i++) {
    const c = cond.data[offC === null ? i : offC[i]];
    out[i] = c !== 0 ? a.data[offA === null ? i : offA[i]] : b.data[offB === null ? i : offB[i]];
  }
  return { shape, dtype: a.dtype, data: out };
}

export const kernels: KernelConfig[] = [{ kernelName: 'Where', backendName: 'js', kernelFunc: where }];
