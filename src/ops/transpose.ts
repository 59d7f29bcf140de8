import { runKernel1 } from '../engine.js';
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { toTensor, type TensorLike } from './convert.js';

/** Permutes the axes; the default reverses them. */
export function transpose(x: TensorLike, perm?: number[]): Tensor {
  const t = toTensor(x, 'x', 'transpose');
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  const valid = Array.isArray(p) && p.length === t.rank && [...p].sort((a, b) => a - b).every((v, i) => v === i);
  if (!valid) {
    throw new RangeError(`transpose: perm ${JSON.stringify(perm)} is not a permutation of the ${t.rank} axes of a tensor of shape ${shapeToString(t.shape)}`);
  }
  return runKernel1('Transpose', [t], { perm: p.slice() });
}
