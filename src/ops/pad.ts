import { runKernel1 } from '../engine.js';
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { toTensor, type TensorLike } from './convert.js';

/** Pads with a constant: paddings[i] = [before, after] for axis i. */
export function pad(x: TensorLike, paddings: [number, number][], constantValue = 0): Tensor {
  const t = toTensor(x, 'x', 'pad');
  const valid = Array.isArray(paddings) && paddings.length === t.rank &&
    paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!valid) {
    throw new RangeError(`pad: paddings ${JSON.stringify(paddings)} must give [before, after] non-negative integers for each axis of shape ${shapeToString(t.shape)}`);
  }
  if (typeof constantValue !== 'number') throw new TypeError(`pad: constantValue must be a number, got ${typeof constantValue}`);
  return runKernel1('Pad', [t], { paddings: paddings.map((p) => [p[0], p[1]]), value: constantValue });
}
