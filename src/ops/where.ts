import { runKernel1, tidy } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { asType, toTensor, type TensorLike } from './convert.js';
import { alignOperands } from './binary.js';

/** Picks a where cond is true, else b; all three broadcast together. */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const cond = toTensor(condition, 'condition', 'where');
    const [ta, tb] = alignOperands(a, b, 'where');
    return runKernel1('Where', [asType(cond, 'bool'), ta, tb]);
  });
}
