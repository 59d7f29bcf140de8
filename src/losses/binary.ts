/** Binary cross-entropy (Keras semantics), from probabilities or from logits. */
import { tidy } from '../engine.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from '../ops/convert.js';
import { add, exp, greaterEqual, log, log1p, mul, neg, sub, where } from '../ops/index.js';
import { alignPair, checkOptions, clipProbabilities, meanOverBatch, meanOverLastAxis, type CrossentropyOptions } from './common.js';

/**
 * Elementwise cross-entropy of labels z and logits x, exact for any finite x (TensorFlow's
 * sigmoid_cross_entropy_with_logits): max(x, 0) - x z + log1p(exp(-|x|)). The max and |x| are
 * written with `where(x >= 0, ...)` so that the gradient at x = 0 is the true sigmoid(0) - z.
 */
export function sigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  return tidy(() => {
    const nonNegative = greaterEqual(logits, 0);
    const reluLogits = where(nonNegative, logits, 0);
    const negAbsLogits = where(nonNegative, neg(logits), logits);
    return add(sub(reluLogits, mul(logits, labels)), log1p(exp(negAbsLogits)));
  });
}

/**
 * -(yTrue log p + (1 - yTrue) log(1 - p)) with p = yPred clipped to [1e-7, 1 - 1e-7]
 * (or, with {fromLogits: true}, the exact log-sigmoid form on logits yPred); the per-sample mean
 * over the last axis, then the mean over the batch.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options?: CrossentropyOptions): Tensor {
  const fromLogits = checkOptions(options, 'binaryCrossentropy');
  return tidy(() => {
    const [t, p] = alignPair(yTrue, yPred, 'binaryCrossentropy');
    let elementwise: Tensor;
    if (fromLogits) {
      elementwise = sigmoidCrossEntropyWithLogits(t, p);
    } else {
      const q = clipProbabilities(p);
      elementwise = neg(add(mul(t, log(q)), mul(sub(1, t), log(sub(1, q)))));
    }
    return meanOverBatch(meanOverLastAxis(elementwise));
  });
}
