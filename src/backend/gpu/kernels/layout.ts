/**
 * Layout kernels on the gpu: Transpose and Slice as strided copies, Gather and OneHot by index.
 */
import type { TensorInfo } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { sizeOf, stridesOf } from '../../../shape.js';
import type { GpuData } from '../backend.js';
import { gpuKernel, onHost } from '../kernel_config.js';
import { coordinates, gpuBackend, launch, program } from '../program.js';
import { stridedMap } from './elementwise.js';

type Info = TensorInfo<GpuData>;

const transposeKernel = gpuKernel('Transpose', (inputs, attrs) => {
  const [x] = inputs;
  const perm = attrs.perm as number[];
  const own = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]);
  const input = { data: x.data, strides: perm.map((p) => own[p]), offset: 0 };
  return stridedMap('Copy', 'return v0;', [input], shape, x.dtype) ?? onHost('Transpose', inputs, attrs);
});

const sliceKernel = gpuKernel('Slice', (inputs, attrs) => {
  const [x] = inputs;
  const begin = attrs.begin as number[];
  const size = attrs.size as number[];
  const own = stridesOf(x.shape);
  const input = { data: x.data, strides: own, offset: begin.reduce((o, b, d) => o + b * own[d], 0) };
  return stridedMap('Copy', 'return v0;', [input], size.slice(), x.dtype) ?? onHost('Slice', inputs, attrs);
});

/** Index values from the copy kept at upload, else read back. */
function hostValues(t: Info): ArrayLike<number> {
  return t.data.host ?? gpuBackend().readSync(t.data);
}

const gatherKernel = gpuKernel('Gather', (inputs, attrs) => {
  const [x, indices] = inputs;
  const axis = attrs.axis as number;
  const n = x.shape[axis];
  const idx = hostValues(indices);
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

const oneHotKernel = gpuKernel('OneHot', ([indices], attrs) => {
  const depth = attrs.depth as number;
  const p = program('OneHot', [['indices', 'Array'], ['depth', 'Integer']], [
    coordinates('this.thread.x', ['rows', 'depth']),
    'return indices[c0] === c1 ? 1 : 0;',
  ].join('\n'));
  return launch(p, [indices.data, depth], [...indices.shape, depth], 'int32');
}, { indexInputs: [0] });

export const kernels: KernelConfig[] = [transposeKernel, sliceKernel, gatherKernel, oneHotKernel];
