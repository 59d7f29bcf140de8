/**
 * What every loss shares: argument checks, Keras' rank alignment of yTrue and yPred, the
 * probability clipping and the reduction (the mean over the batch).
 */
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asType, toTensor, type TensorLike } from '../ops/convert.js';
import { clipByValue, mean, reshape } from '../ops/index.js';

/** Keras 3's epsilon: probabilities are clipped to the float32 values of [1e-7, 1 - 1e-7]. */
export const EPSILON = Math.fround(1e-7);
export const ONE_MINUS_EPSILON = Math.fround(1 - 1e-7);

export interface CrossentropyOptions {
  /** yPred holds logits (unnormalised scores) instead of probabilities; default false. */
  fromLogits?: boolean;
}

export function checkOptions(options: CrossentropyOptions | undefined, lossName: string): boolean {
  if (options === undefined || options === null) return false;
  if (typeof options !== 'object') throw new TypeError(`${lossName}: options must be an object like {fromLogits: true}, got ${typeof options}`);
  const unknown = Object.keys(options).filter((k) => k !== 'fromLogits');
  if (unknown.length > 0) throw new TypeError(`${lossName}: unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; the only option is 'fromLogits'`);
  const { fromLogits = false } = options;
  if (typeof fromLogits !== 'boolean') throw new TypeError(`${lossName}: fromLogits must be true or false, got ${JSON.stringify(fromLogits)}`);
  return fromLogits;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * yTrue and yPred as float32 tensors of one shape. As Keras (squeeze_or_expand_to_same_rank),
 * a trailing axis of size 1 on one side only is dropped ([batch] against [batch, 1]).
 */
export function alignPair(yTrue: TensorLike, yPred: TensorLike, lossName: string): [Tensor, Tensor] {
  const p = asType(toTensor(yPred, 'yPred', lossName), 'float32');
  const t = asType(toTensor(yTrue, 'yTrue', lossName, p), 'float32');
  if (sameShape(t.shape, p.shape)) return [t, p];
  if (t.rank === p.rank + 1 && t.shape[t.rank - 1] === 1 && sameShape(t.shape.slice(0, -1), p.shape)) return [reshape(t, p.shape.slice()), p];
  if (p.rank === t.rank + 1 && p.shape[p.rank - 1] === 1 && sameShape(p.shape.slice(0, -1), t.shape)) return [t, reshape(p, t.shape.slice())];
  throw new RangeError(`${lossName}: yTrue has shape ${shapeToString(t.shape)} but yPred has shape ${shapeToString(p.shape)}; they must match`);
}

/** Per-sample values: the mean over the last axis (Keras' `mean(..., axis=-1)`); scalars stay. */
export function meanOverLastAxis(x: Tensor): Tensor {
  return x.rank === 0 ? x : mean(x, -1);
}

/** The reduction every loss ends with: the mean over all samples, a scalar. */
export function meanOverBatch(perSample: Tensor): Tensor {
  return mean(perSample);
}

/** Probabilities clipped to the float32 values of [1e-7, 1 - 1e-7]. */
export function clipProbabilities(p: Tensor): Tensor {
  return clipByValue(p, EPSILON, ONE_MINUS_EPSILON);
}
