/** Copy kernels: transpose, slice, concat, gather and its adjoint unsortedSegmentSum, tile, pad, where, oneHot. */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { castScalar } from '../../js/kernels/broadcast.js';
import { broadcastShapes, broadcastStrides, shapesEqual, sizeOf, stridesOf } from '../../../shape.js';
import { typedArrayFor, type TypedArray } from '../../../types.js';
import { takeOutput } from '../output_pool.js';
import type { NativeAddon } from '../addon.js';

/** x's values laid out in outShape (its broadcast), as a contiguous array: x itself if it already is. */
function expand(addon: NativeAddon, x: CpuTensor, outShape: number[]): TypedArray {
  if (shapesEqual(x.shape, outShape)) return x.data;
  const out = typedArrayFor(x.dtype, sizeOf(outShape));
  addon.stridedCopy(x.data, 0, broadcastStrides(x.shape, outShape), out, 0, stridesOf(outShape), outShape);
  return out;
}

export function layoutKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      kernelName: 'Transpose',
      backendName: 'native',
      kernelFunc: ([x]: CpuTensor[], attrs) => {
        const perm = attrs.perm as number[];
        const shape = perm.map((p) => x.shape[p]);
        const out = takeOutput(x.dtype, x.data.length);
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
        const out = takeOutput(x.dtype, sizeOf(size));
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
        const out = takeOutput(first.dtype, sizeOf(shape));
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
        const out = takeOutput(x.dtype, sizeOf(shape));
        addon.gather(x.data, outer, x.shape[axis], inner, indices.data as Int32Array, out);
        return { shape, dtype: x.dtype, data: out };
      },
    },
    {
      kernelName: 'UnsortedSegmentSum',
      backendName: 'native',
      kernelFunc: ([x, segmentIds]: CpuTensor[], attrs) => {
        const numSegments = attrs.numSegments as number;
        const shape = [numSegments, ...x.shape.slice(1)];
        const out = takeOutput(x.dtype, sizeOf(shape));
        addon.unsortedSegmentSum(x.data, segmentIds.data as Int32Array, sizeOf(x.shape.slice(1)), numSegments, out);
        return { shape, dtype: x.dtype, data: out };
      },
    },
    {
      // Tile as a broadcast copy: x read as [1, d0, 1, d1, ...] into [r0, d0, r1, d1, ...].
      kernelName: 'Tile',
      backendName: 'native',
      kernelFunc: ([x]: CpuTensor[], attrs) => {
        const reps = attrs.reps as number[];
        const strides = stridesOf(x.shape);
        const block = x.shape.flatMap((d, i) => [reps[i], d]);
        const out = takeOutput(x.dtype, sizeOf(block));
        addon.stridedCopy(x.data, 0, strides.flatMap((s) => [0, s]), out, 0, stridesOf(block), block);
        return { shape: x.shape.map((d, i) => d * reps[i]), dtype: x.dtype, data: out };
      },
    },
    {
      kernelName: 'Pad',
      backendName: 'native',
      kernelFunc: ([x]: CpuTensor[], attrs) => {
        const paddings = attrs.paddings as [number, number][];
        const shape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
        const out = takeOutput(x.dtype, sizeOf(shape));
        out.fill(castScalar(attrs.value as number, x.dtype));
        const outStrides = stridesOf(shape);
        const offset = paddings.reduce((o, [before], i) => o + before * outStrides[i], 0);
        addon.stridedCopy(x.data, 0, stridesOf(x.shape), out, offset, outStrides, x.shape);
        return { shape, dtype: x.dtype, data: out };
      },
    },
    {
      kernelName: 'Where',
      backendName: 'native',
      kernelFunc: ([cond, a, b]: CpuTensor[]) => {
        const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
        const n = sizeOf(shape);
        const out = takeOutput(a.dtype, n);
        addon.select(expand(addon, cond, shape) as Uint8Array, expand(addon, a, shape), expand(addon, b, shape), out, n);
        return { shape, dtype: a.dtype, data: out };
      },
    },
    {
      kernelName: 'OneHot',
      backendName: 'native',
      kernelFunc: ([indices]: CpuTensor[], attrs) => {
        const depth = attrs.depth as number;
        const out = takeOutput('int32', indices.data.length * depth) as Int32Array;
        addon.oneHot(indices.data as Int32Array, indices.data.length, depth, out);
        return { shape: [...indices.shape, depth], dtype: 'int32', data: out };
      },
    },
  ];
}
