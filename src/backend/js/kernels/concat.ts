/**
 * Concat {axis}: viewing each input as [outer, rowLength] with rowLength = shape[axis] * inner,
 * the output row o is input 0's row o, then input 1's row o, and so on.
 */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { sizeOf } from '../../../shape.js';
import { jsArrayFor } from '../precision.js';

function concat(inputs: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const axis = attrs.axis as number;
  const first = inputs[0];
  const shape = [...first.shape];
  shape[axis] = inputs.reduce((total, t) => total + t.shape[axis], 0);
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis + 1));
  const outRow = shape[axis] * inner;
  const out = jsArrayFor(first.dtype, outer * outRow);
  let column = 0; // where the current input starts within an output row
  for (const t of inputs) {
    const row = t.shape[axis] * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * row, (o + 1) * row), o * outRow + column);
    column += row;
  }
  return { shape, dtype: first.dtype, data: out };
}

export const kernels: KernelConfig[] = [{ kernelName: 'Concat', backendName: 'js', kernelFunc: concat }];
