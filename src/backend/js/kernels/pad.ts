/**
 * Pad {paddings, value}: an output of shape before + shape + after filled with `value`
 * (converted to the dtype by Cast's rules), with x written at offset `before` on each axis.
 */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { sizeOf, stridesOf } from '../../../shape.js';
import { jsArrayFor } from '../precision.js';
import { castScalar, stridedOffsets } from './broadcast.js';

function pad([x]: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const paddings = attrs.paddings as [number, number][];
  const value = (attrs.value as number | undefined) ?? 0;
  const shape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const out = jsArrayFor(x.dtype, sizeOf(shape));
  out.fill(castScalar(value, x.dtype));
  const strides = stridesOf(shape);
  const start = paddings.reduce((offset, [before], d) => offset + before * strides[d], 0);
  // Walking x in order visits these output offsets.
  const offsets = stridedOffsets(x.shape, strides, start);
  for (let i = 0; i < offsets.length; i++) out[offsets[i]] = x.data[i];
  return { shape, dtype: x.dtype, data: out };
}

export const kernels: KernelConfig[] = [{ kernelName: 'Pad', backendName: 'js', kernelFunc: pad }];
