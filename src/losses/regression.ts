/** Regression losses: mean squared error, mean absolute error, Huber (Keras semantics). */
import { tidy } from '../engine.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from '../ops/convert.js';
import { abs, lessEqual, mul, square, sub, where } from '../ops/index.js';
import { alignPair, meanOverBatch, meanOverLastAxis } from './common.js';

/** mean((yPred - yTrue)^2): the per-sample mean over the last axis, then the mean over the batch. */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignPair(yTrue, yPred, 'meanSquaredError');
    return meanOverBatch(meanOverLastAxis(square(sub(p, t))));
  });
}

/** mean(|yPred - yTrue|): the per-sample mean over the last axis, then the mean over the batch. */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignPair(yTrue, yPred, 'meanAbsoluteError');
    return meanOverBatch(meanOverLastAxis(abs(sub(p, t))));
  });
}

/**
 * Huber loss (Keras): with e = yPred - yTrue, 0.5 e^2 where |e| <= delta, else
 * delta * |e| - 0.5 delta^2; the per-sample mean over the last axis, then the mean over the batch.
 */
export function huberLoss(yTrue: TensorLike, yPred: TensorLike, delta = 1): Tensor {
  if (typeof delta !== 'number' || !Number.isFinite(delta) || delta <= 0) {
    throw new RangeError(`huberLoss: delta must be a finite number > 0, got ${delta}`);
  }
  return tidy(() => {
    const [t, p] = alignPair(yTrue, yPred, 'huberLoss');
    const error = sub(p, t);
    const absError = abs(error);
    const quadratic = mul(square(error), 0.5);
    const linear = sub(mul(absError, delta), 0.5 * delta * delta);
    return meanOverBatch(meanOverLastAxis(where(lessEqual(absError, delta), quadratic, linear)));
  });
}
