import { tidy } from '../engine.js';
import { makeTensor, toTensor, type TensorLike } from './convert.js';
import { generatorFor } from './random.js';
import { mul } from './binary.js';
import type { Tensor } from '../tensor.js';

/** Zeroes each element with probability rate and scales the rest by 1 / (1 - rate). */
export function dropout(x: TensorLike, rate: number, seed?: number): Tensor {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new RangeError(`dropout: rate must be in [0, 1), got ${rate}`);
  return tidy(() => {
    const t = toTensor(x, 'x', 'dropout');
    const rng = generatorFor(seed, 'dropout');
    const scale = 1 / (1 - rate);
    const mask = new Float32Array(t.size);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() >= rate ? scale : 0;
    return mul(t, makeTensor(mask, t.shape, 'float32', t.backend, 'dropout'));
  });
}
