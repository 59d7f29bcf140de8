/**
 * Layout kernels on the gpu: Transpose, Slice and Tile as strided copies, Concat, Pad, Gather
 * and OneHot by index, and UnsortedSegmentSum (Gather's adjoint) by segment.
 */
import type { TensorInfo } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { sizeOf, stridesOf } from '../../../shape.js';
import { warnOnce } from '../../../util/warn.js';
import type { GpuData } from '../backend.js';
import { gpuKernel, onHost } from '../kernel_config.js';
import { coordinates, gpuBackend, launch, MAX_GPU_ELEMENTS, program } from '../program.js';
import { stridedMap } from './elementwise.js';

type Info = TensorInfo<GpuData>;

/** x's elements read at `strides` from `offset`, for every element of `shape` (null past the program's rank). */
function stridedCopy(x: Info, strides: number[], offset: number, shape: number[]): Info | null {
  return stridedMap('Copy', 'return v0;', [{ data: x.data, strides, offset }], shape, x.dtype);
}

const transposeKernel = gpuKernel('Transpose', (inputs, attrs) => {
  const [x] = inputs;
  const perm = attrs.perm as number[];
  const own = stridesOf(x.shape);
  return stridedCopy(x, perm.map((p) => own[p]), 0, perm.map((p) => x.shape[p])) ?? onHost('Transpose', inputs, attrs);
});

const sliceKernel = gpuKernel('Slice', (inputs, attrs) => {
  const [x] = inputs;
  const begin = attrs.begin as number[];
  const size = attrs.size as number[];
  const own = stridesOf(x.shape);
  return stridedCopy(x, own, begin.reduce((o, b, d) => o + b * own[d], 0), size.slice()) ?? onHost('Slice', inputs, attrs);
});

// Tile walks the shape [reps[0], shape[0], reps[1], shape[1], ...] with strides [0, s0, 0, s1, ...]:
// the output in row-major order.
const tileKernel = gpuKernel('Tile', (inputs, attrs) => {
  const [x] = inputs;
  const reps = attrs.reps as number[];
  const strides = stridesOf(x.shape);
  const walkShape = x.shape.flatMap((d, i) => [reps[i], d]);
  const walked = stridedCopy(x, strides.flatMap((st) => [0, st]), 0, walkShape);
  return walked ? { ...walked, shape: x.shape.map((d, i) => d * reps[i]) } : onHost('Tile', inputs, attrs);
});

/** a and b (viewed as [outer, aLength, inner] and [outer, bLength, inner]) side by side along the middle axis. */
function concatPair(a: Info, b: Info, axis: number): Info {
  const inner = sizeOf(a.shape.slice(axis + 1));
  const [aLength, bLength] = [a.shape[axis], b.shape[axis]];
  const shape = a.shape.map((d, i) => (i === axis ? aLength + bLength : d));
  const p = program('ConcatPair', [['a', 'Array'], ['b', 'Array'], ['total', 'Integer'], ['inner', 'Integer'], ['aLength', 'Integer'], ['bLength', 'Integer']], [
    coordinates('this.thread.x', ['outer', 'total', 'inner']),
    'if (c1 < aLength) return a[(c0 * aLength + c1) * inner + c2];',
    'return b[(c0 * bLength + (c1 - aLength)) * inner + c2];',
  ].join('\n'));
  return launch(p, [a.data, b.data, aLength + bLength, inner, aLength, bLength], shape, a.dtype);
}

const concatKernel = gpuKernel('Concat', (inputs, attrs) => {
  const axis = attrs.axis as number;
  const backend = gpuBackend();
  const [first] = inputs;
  if (inputs.length === 1) return stridedCopy(first, stridesOf(first.shape), 0, first.shape.slice()) ?? onHost('Concat', inputs, attrs);
  let joined = concatPair(first, inputs[1], axis);
  for (let i = 2; i < inputs.length; i++) {
    const next = concatPair(joined, inputs[i], axis);
    backend.dispose(joined.data);
    joined = next;
  }
  return joined;
});

const PAD_RANK = 4;

// Output coordinate c maps to input coordinate c - before on every axis; outside the input, the value.
const padKernel = gpuKernel('Pad', (inputs, attrs) => {
  const [x] = inputs;
  const paddings = attrs.paddings as [number, number][];
  if (x.shape.length > PAD_RANK) return onHost('Pad', inputs, attrs);
  const lead = PAD_RANK - x.shape.length;
  const inShape = [...new Array<number>(lead).fill(1), ...x.shape];
  const before = [...new Array<number>(lead).fill(0), ...paddings.map((p) => p[0])];
  const outShape = inShape.map((d, i) => d + before[i] + (i < lead ? 0 : paddings[i - lead][1]));
  const axes = [0, 1, 2, 3];
  const p = program('Pad', [
    ['x', 'Array'], ...axes.slice(1).map((k) => [`n${k}`, 'Integer'] as const), ...axes.map((k) => [`d${k}`, 'Integer'] as const),
    ...axes.map((k) => [`b${k}`, 'Integer'] as const), ['value', 'Float'],
  ], [
    coordinates('this.thread.x', ['n0', 'n1', 'n2', 'n3']),
    ...axes.map((k) => `const i${k} = c${k} - b${k};`),
    `if (${axes.map((k) => `i${k} < 0 || i${k} >= d${k}`).join(' || ')}) return value;`,
    'return x[((i0 * d1 + i1) * d2 + i2) * d3 + i3];',
  ].join('\n'));
  return launch(p, [x.data, ...outShape.slice(1), ...inShape, ...before, attrs.value as number], outShape.slice(lead), x.dtype);
});

const gatherKernel = gpuKernel('Gather', (inputs, attrs) => {
  const [x, indices] = inputs;
  const axis = attrs.axis as number;
  const n = x.shape[axis];
  const idx = gpuBackend().hostValues(indices.data);
  for (let j = 0; j < idx.length; j++) {
    // The js kernel's error names the index, its position and the allowed range.
    if (!(idx[j] >= 0 && idx[j] < n)) return onHost('Gather', inputs, attrs);
  }
  const inner = sizeOf(x.shape.slice(axis + 1));
  const count = idx.length;
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const p = program('Gather', [['x', 'Array'], ['indices', 'Array'], ['n', 'Integer'], ['count', 'Integer'], ['inner', 'Integer']], [
    coordinates('this.thread.x', ['outer', 'count', 'inner']),
    'return x[(c0 * n + indices[c1]) * inner + c2];',
  ].join('\n'));
  return launch(p, [x.data, indices.data, n, count, inner], shape, x.dtype);
}, { indexInputs: [1] });

// The ids come to the host anyway (to be checked), so they are sorted there by segment (a
// stable counting sort: a segment's rows in increasing order, the js kernel's order of addition)
// and each output element's thread adds up its own segment's rows: n x inner additions in all
// (not numSegments x n x inner, as testing every id in every thread would be), no two threads
// writing one element, at the price of a pass over the ids and two small uploads per call. A
// thread's loop is as long as its segment is frequent, so one very frequent id makes one long wave.
const unsortedSegmentSumKernel = gpuKernel('UnsortedSegmentSum', (inputs, attrs) => {
  const [x, segmentIds] = inputs;
  const numSegments = attrs.numSegments as number;
  const inner = sizeOf(x.shape.slice(1));
  // A small gradient into a large table: an output the gpu kernels cannot index exactly.
  if (numSegments * inner > MAX_GPU_ELEMENTS) {
    warnOnce('gpu-host-UnsortedSegmentSum-output', `gpu backend: UnsortedSegmentSum runs on the CPU for outputs over ${MAX_GPU_ELEMENTS} elements`);
    return onHost('UnsortedSegmentSum', inputs, attrs);
  }
  const backend = gpuBackend();
  const ids = backend.hostValues(segmentIds.data);
  const starts = new Int32Array(numSegments + 1);
  for (let i = 0; i < ids.length; i++) {
    // The js kernel's error names the id, its position and the allowed range.
    if (!(ids[i] >= 0 && ids[i] < numSegments)) return onHost('UnsortedSegmentSum', inputs, attrs);
    starts[ids[i] + 1]++;
  }
  for (let s = 0; s < numSegments; s++) starts[s + 1] += starts[s];
  // At least one element: a device buffer cannot be empty.
  const rows = new Int32Array(Math.max(ids.length, 1));
  const next = starts.slice(0, numSegments);
  for (let i = 0; i < ids.length; i++) rows[next[ids[i]]++] = i;
  const [startsData, rowsData] = [backend.upload(starts, 'int32'), backend.upload(rows, 'int32')];
  const p = program('UnsortedSegmentSum', [['x', 'Array'], ['starts', 'Array'], ['rows', 'Array'], ['inner', 'Integer']], [
    coordinates('this.thread.x', ['numSegments', 'inner']),
    'const first = starts[c0];',
    'const count = starts[c0 + 1] - first;',
    'let acc = 0;',
    'for (let k = 0; k < count; k++) { acc = acc + x[rows[first + k] * inner + c1]; }',
    'return acc;',
  ].join('\n'));
  const out = launch(p, [x.data, startsData, rowsData, inner], [numSegments, ...x.shape.slice(1)], x.dtype);
  backend.dispose(startsData);
  backend.dispose(rowsData);
  return out;
}, { indexInputs: [1] });

const oneHotKernel = gpuKernel('OneHot', ([indices], attrs) => {
  const depth = attrs.depth as number;
  const p = program('OneHot', [['indices', 'Array'], ['depth', 'Integer']], [
    coordinates('this.thread.x', ['rows', 'depth']),
    'return indices[c0] === c1 ? 1 : 0;',
  ].join('\n'));
  return launch(p, [indices.data, depth], [...indices.shape, depth], 'int32');
}, { indexInputs: [0] });

export const kernels: KernelConfig[] = [transposeKernel, sliceKernel, tileKernel, concatKernel, padKernel, gatherKernel, unsortedSegmentSumKernel, oneHotKernel];
