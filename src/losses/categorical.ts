/**
 * Categorical cross-entropy (one-hot or soft labels) and sparse categorical cross-entropy
 * (integer labels), Keras semantics, from probabilities or from logits.
 */
import { readValues, tidy } from '../engine.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import { asType, toIndexTensor, toTensor, type TensorLike } from '../ops/convert.js';
import { cast, div, log, logSoftmax, mul, neg, oneHot, reshape, sparseSoftmaxCrossEntropy, sum } from '../ops/index.js';
import { alignPair, checkOptions, clipProbabilities, meanOverBatch, type CrossentropyOptions } from './common.js';

/**
 * Log-probabilities along the last axis: logSoftmax of logits, or, for probabilities, Keras'
 * log(clip(p / sum(p))) (each row normalised to sum to one, then clipped to [1e-7, 1 - 1e-7]).
 */
function logProbabilities(yPred: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return logSoftmax(yPred, -1);
  return log(clipProbabilities(div(yPred, sum(yPred, -1, true))));
}

/**
 * -sum(yTrue * log p) over the last axis, averaged over the batch. yTrue holds one-hot (or soft)
 * labels of yPred's shape; yPred holds probabilities, or logits with {fromLogits: true}
 * (exact for any finite logits: a log-softmax).
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options?: CrossentropyOptions): Tensor {
  const fromLogits = checkOptions(options, 'categoricalCrossentropy');
  return tidy(() => {
    const [t, p] = alignPair(yTrue, yPred, 'categoricalCrossentropy');
    if (p.rank === 0) throw new RangeError('categoricalCrossentropy: yPred must have a class axis (rank >= 1), got a scalar');
    return meanOverBatch(neg(sum(mul(t, logProbabilities(p, fromLogits)), -1)));
  });
}

/**
 * Per-sample -logProbs[label] for logProbs [n, numClasses] and validated int32 labels [n].
 * The one place the sparse losses pick a class.
 */
function negLogLikelihood(labels: Tensor, logProbs: Tensor): Tensor {
  const numClasses = logProbs.shape[1];
  return neg(sum(mul(cast(oneHot(labels, numClasses), 'float32'), logProbs), -1));
}


/**
 * Checks labels t (a tensor) against predictions p: shape yPred's leading shape (or that and a
 * trailing 1), integer values in [0, numClasses). Creates no tensors, so a bad label leaks nothing.
 */
function checkSparseLabels(t: Tensor, p: Tensor, lossName: string): void {
  if (p.rank === 0) throw new RangeError(`${lossName}: yPred must have a class axis (rank >= 1), got a scalar`);
  const numClasses = p.shape[p.rank - 1];
  const leading = p.shape.slice(0, -1);
  const matches = (s: readonly number[]) => s.length === leading.length && s.every((d, i) => d === leading[i]);
  if (!matches(t.shape) && !(t.rank === leading.length + 1 && t.shape[t.rank - 1] === 1 && matches(t.shape.slice(0, -1)))) {
    throw new RangeError(`${lossName}: labels of shape ${shapeToString(t.shape)} do not fit predictions of shape ${shapeToString(p.shape)}; ` +
      `the labels must have shape ${shapeToString(leading)} (or ${shapeToString([...leading, 1])})`);
  }
  if (t.dtype === 'bool') throw new TypeError(`${lossName}: labels must be int32 class indices, got bool`);
  // Labels are read back to check them: an out-of-range label would otherwise silently give a zero loss.
  const values = readValues(t);
  for (let i = 0; i < values.length; i++) {
    const label = values[i];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(`${lossName}: label ${label} (at flat index ${i}) is out of range for ${numClasses} classes; labels must be integers in [0, ${numClasses - 1}]`);
    }
  }
}

/**
 * Cross-entropy with integer labels: -log p[label], averaged over the batch. yTrue is int32 of
 * shape [batch] (or [batch, 1]; generally yPred's shape without the class axis); yPred holds
 * probabilities (normalised and clipped as in categoricalCrossentropy) or, with
 * {fromLogits: true}, logits.
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options?: CrossentropyOptions): Tensor {
  const lossName = 'sparseCategoricalCrossentropy';
  const fromLogits = checkOptions(options, lossName);
  // tidy frees the converted arguments, also when a label check throws.
  return tidy(() => {
    const p = toTensor(yPred, 'yPred', lossName);
    const t = yTrue instanceof Tensor ? toTensor(yTrue, 'yTrue', lossName) : toIndexTensor(yTrue, 'yTrue', lossName, p);
    checkSparseLabels(t, p, lossName);
    const numClasses = p.shape[p.rank - 1];
    const labels = reshape(asType(t, 'int32'), [-1]);
    const rows = reshape(asType(p, 'float32'), [-1, numClasses]);
    // From logits, one fused kernel gives the mean and its gradient.
    if (fromLogits) return sparseSoftmaxCrossEntropy(rows, labels, 'mean');
    return meanOverBatch(negLogLikelihood(labels, logProbabilities(rows, false)));
  });
}
