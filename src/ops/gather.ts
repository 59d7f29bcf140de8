import { runKernel1, tidy } from '../engine.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { toIndexTensor, toTensor, type TensorLike } from './convert.js';

/** Rows of x along axis picked by int32 indices of any shape. */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  return tidy(() => {
    const t = toTensor(x, 'x', 'gather');
    const idx = toIndexTensor(indices, 'indices', 'gather', t);
    const a = normalizeAxis(axis, t.rank, 'gather');
    return runKernel1('Gather', [t, idx], { axis: a });
  });
}
