/**
 * Tile {reps}: output axis d of length reps[d] * shape[d] is, in row-major order, the pair
 * (repeat r, position i) -> input position i. So walking the output is walking the shape
 * [reps[0], shape[0], reps[1], shape[1], ...] with strides [0, stride[0], 0, stride[1], ...].
 */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { stridesOf } from '../../../shape.js';
import { gatherOffsets, stridedOffsets } from './broadcast.js';

function tile([x]: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const reps = attrs.reps as number[];
  const strides = stridesOf(x.shape);
  const walkShape = x.shape.flatMap((d, i) => [reps[i], d]);
  const walkStrides = strides.flatMap((s) => [0, s]);
  const shape = x.shape.map((d, i) => d * reps[i]);
  return gatherOffsets(x, shape, stridedOffsets(walkShape, walkStrides));
}

export const kernels: KernelConfig[] = [{ kernelName: 'Tile', backendName: 'js', kernelFunc: tile }];
