import { runKernel1, tidy } from '../engine.js';
import { reshape } from './reshape.js';
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

/** x broadcast (NumPy rules) to a larger shape, as a copy. */
export function broadcastTo(x: TensorLike, shape: number[]): Tensor {
  return tidy(() => {
    const t = toTensor(x, 'x', 'broadcastTo');
    if (!Array.isArray(shape) || shape.length < t.rank) {
      throw new RangeError(`broadcastTo: cannot broadcast shape ${shapeToString(t.shape)} to ${JSON.stringify(shape)}`);
    }
    const padded = reshape(t, [...new Array(shape.length - t.rank).fill(1), ...t.shape]);
    const reps = shape.map((d, i) => {
      const own = padded.shape[i];
      if (own !== d && own !== 1) throw new RangeError(`broadcastTo: cannot broadcast shape ${shapeToString(t.shape)} to ${shapeToString(shape)} (axis ${i}: ${own} vs ${d})`);
      return own === d ? 1 : d;
    });
    return reps.every((r) => r === 1) ? runKernel1('Cast', [padded], { dtype: padded.dtype }) : tile(padded, reps);
  });
}
