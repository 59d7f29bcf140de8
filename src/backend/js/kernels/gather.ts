/**
 * Gather {axis}: [x, indices] -> x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]. Viewing
 * x as [outer, n, inner], output block (o, j) is x's block (o, indices[j]).
 * UnsortedSegmentSum {numSegments}, its adjoint: [x [n, ...rest], segmentIds [n]] ->
 * [numSegments, ...rest], row i of x added into row segmentIds[i].
 */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { shapeToString, sizeOf, stridesOf } from '../../../shape.js';
import { jsArrayFor } from '../precision.js';

/** The multi-dimensional position of flat element `flat` of a tensor of `shape`. */
function positionOf(flat: number, shape: readonly number[]): number[] {
  return stridesOf(shape).map((s, d) => Math.floor(flat / s) % shape[d]);
}

function gather([x, indices]: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const axis = attrs.axis as number;
  const n = x.shape[axis];
  const idx = indices.data;
  for (let j = 0; j < idx.length; j++) {
    if (idx[j] < 0 || idx[j] >= n) {
      throw new RangeError(
        `Gather: index ${idx[j]} at position [${positionOf(j, indices.shape).join(', ')}] of indices ` +
        `${shapeToString(indices.shape)} is out of range for axis ${axis} of x ${shapeToString(x.shape)} ` +
        `(allowed: 0 to ${n - 1})`,
      );
    }
  }
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = jsArrayFor(x.dtype, outer * idx.length * inner);
  const src = x.data;
  let dst = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++) {
      const from = (o * n + idx[j]) * inner;
      for (let i = 0; i < inner; i++) out[dst++] = src[from + i];
    }
  }
  return { shape, dtype: x.dtype, data: out };
}

function unsortedSegmentSum([x, segmentIds]: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const numSegments = attrs.numSegments as number;
  const ids = segmentIds.data;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0 || ids[i] >= numSegments) {
      throw new RangeError(
        `UnsortedSegmentSum: segment id ${ids[i]} at position ${i} of segmentIds is outside the range ` +
        `[0, ${numSegments}) (numSegments ${numSegments})`,
      );
    }
  }
  const inner = sizeOf(x.shape.slice(1));
  const out = jsArrayFor(x.dtype, numSegments * inner);
  const src = x.data;
  for (let i = 0; i < ids.length; i++) {
    const to = ids[i] * inner;
    for (let c = 0; c < inner; c++) out[to + c] += src[i * inner + c];
  }
  return { shape: [numSegments, ...x.shape.slice(1)], dtype: x.dtype, data: out };
}

export const kernels: KernelConfig[] = [
  { kernelName: 'Gather', backendName: 'js', kernelFunc: gather },
  { kernelName: 'UnsortedSegmentSum', backendName: 'js', kernelFunc: unsortedSegmentSum },
];
