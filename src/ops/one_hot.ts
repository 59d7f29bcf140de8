import { runKernel1, tidy } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { toIndexTensor, type TensorLike } from './convert.js';

/** int32 one-hot rows of length depth; an out-of-range index gives an all-zero row. */
export function oneHot(indices: TensorLike, depth: number): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`oneHot: depth must be a positive integer, got ${depth}`);
  return tidy(() => runKernel1('OneHot', [toIndexTensor(indices, 'indices', 'oneHot')], { depth }));
}
