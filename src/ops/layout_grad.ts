/** Gradients of the copy kernels: each routes dy back to where the values came from. */
import { registerGradient } from '../autograd/gradients.js';
import { sizeOf } from '../shape.js';
import { pad } from './pad.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { unsortedSegmentSum } from './segment.js';
import { slice, split } from './slice.js';
import { transpose } from './transpose.js';

registerGradient({
  kernelName: 'Reshape',
  saveInputs: false,
  saveOutputs: false,
  gradFn: (dy, node) => [reshape(dy, node.inputShapes[0])],
});

registerGradient({
  kernelName: 'Transpose',
  saveInputs: false,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const perm = node.attrs.perm as number[];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(dy, inverse)];
  },
});

registerGradient({
  kernelName: 'Slice',
  saveInputs: false,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const shape = node.inputShapes[0];
    const begin = node.attrs.begin as number[];
    const size = node.attrs.size as number[];
    return [pad(dy, shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number]))];
  },
});

registerGradient({
  kernelName: 'Pad',
  saveInputs: false,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const paddings = node.attrs.paddings as [number, number][];
    return [slice(dy, paddings.map((p) => p[0]), node.inputShapes[0])];
  },
});

registerGradient({
  kernelName: 'Concat',
  saveInputs: false,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const axis = node.attrs.axis as number;
    return split(dy, node.inputShapes.map((s) => s[axis]), axis);
  },
});

// Tile: view dy as [r0, d0, r1, d1, ...] and sum over the repeat axes.
registerGradient({
  kernelName: 'Tile',
  saveInputs: false,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const shape = node.inputShapes[0];
    const reps = node.attrs.reps as number[];
    const interleaved = shape.flatMap((d, i) => [reps[i], d]);
    const summed = sum(reshape(dy, interleaved), shape.map((_, i) => 2 * i));
    return [reshape(summed, shape)];
  },
});

// Gather: dx[o, n, :] = sum over j with indices[j] = n of dy[o, j, :], a scatter-add of dy's
// rows (a one-hot product would build an [indices, x.shape[axis]] temporary: an embedding
// table's vocabulary per index). The kernel sums along axis 0, so other axes move there and back.
registerGradient({
  kernelName: 'Gather',
  saveInputs: true,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const shape = node.inputShapes[0];
    const axis = node.attrs.axis as number;
    const indices = node.inputs[1];
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const swap = [1, 0, 2];
    const rows = outer === 1 ? reshape(dy, [indices.size, 1, inner]) : transpose(reshape(dy, [outer, indices.size, inner]), swap);
    const summed = unsortedSegmentSum(rows, reshape(indices, [indices.size]), shape[axis]);
    return [reshape(outer === 1 ? summed : transpose(summed, swap), shape), null];
  },
});
