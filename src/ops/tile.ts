import { runKernel1 } from '../engine.js';
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { toTensor, type TensorLike } from './convert.js';

/** Repeats the tensor reps[i] times along axis i. */
export function tile(x: TensorLike, reps: number[]): Tensor {
  const t = toTensor(x, 'x', 'tile');
  if (!Array.isArray(reps) || reps.length !== t.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new RangeError(`tile: reps ${JSON.stringify(reps)} must list one non-negative integer per axis of shape ${shapeToString(t.shape)}`);
  }
  return runKernel1('Tile', [t], { reps: reps.slice() });
}
