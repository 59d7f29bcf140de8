/** `et.metrics` (Keras / tfjs): accuracy metrics, each the mean over the batch (a scalar). */
import { tidy } from '../engine.js';
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast, toTensor, type TensorLike } from '../ops/convert.js';
import { equal, greater } from '../ops/binary.js';
import { argMax, mean } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';

function pair(yTrue: TensorLike, yPred: TensorLike, where: string): [Tensor, Tensor] {
  const p = toTensor(yPred, 'yPred', where);
  const t = toTensor(yTrue, 'yTrue', where, p);
  return [t, p];
}

function sameShape(t: Tensor, p: Tensor, where: string): void {
  if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new RangeError(`${where}: yTrue ${shapeToString(t.shape)} and yPred ${shapeToString(p.shape)} must have the same shape`);
  }
}

/** The fraction of elements where yTrue equals yPred. */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, 'accuracy');
    sameShape(t, p, 'accuracy');
    return mean(cast(equal(cast(t, 'float32'), cast(p, 'float32')), 'float32'));
  });
}

/** The fraction where (yPred > threshold) matches the 0/1 labels. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, 'binaryAccuracy');
    sameShape(t, p, 'binaryAccuracy');
    return mean(cast(equal(cast(t, 'float32'), cast(greater(p, threshold), 'float32')), 'float32'));
  });
}

/** The fraction of rows whose largest prediction is at the one-hot label's class. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, 'categoricalAccuracy');
    sameShape(t, p, 'categoricalAccuracy');
    return mean(cast(equal(argMax(t, -1), argMax(p, -1)), 'float32'));
  });
}

/** The fraction of rows whose largest prediction is at the integer label ([n] or [n, 1]). */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, 'sparseCategoricalAccuracy');
    const rows = p.shape.slice(0, -1);
    const labels = t.rank === rows.length + 1 && t.shape[t.rank - 1] === 1 ? reshape(t, rows) : t;
    if (p.rank < 1 || labels.shape.length !== rows.length || labels.shape.some((d, i) => d !== rows[i])) {
      throw new RangeError(`sparseCategoricalAccuracy: labels ${shapeToString(t.shape)} do not fit predictions ${shapeToString(p.shape)}; expected labels of shape ${shapeToString(rows)}`);
    }
    return mean(cast(equal(cast(labels, 'int32'), argMax(p, -1)), 'float32'));
  });
}

export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A metric with the key its values get in logs and History. */
export type Metric = MetricFn & { readonly metricName: string };

const BY_NAME: Record<string, MetricFn> = {
  accuracy, acc: accuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy,
};

/**
 * A metric by Keras name (camelCase or snake_case) or a function. Its metricName is the name as
 * given ('acc' stays 'acc', as Keras logs it) or the function's own name.
 */
export function getMetric(identifier: string | MetricFn): Metric {
  if (typeof identifier === 'function') return Object.assign((t: Tensor, p: Tensor) => identifier(t, p), { metricName: identifier.name || 'metric' });
  const fn = metricByName(identifier);
  return Object.assign((t: Tensor, p: Tensor) => fn(t, p), { metricName: identifier });
}

/** The metric function a Keras name (camelCase or snake_case) stands for. */
export function metricByName(name: string): MetricFn {
  const fn = typeof name === 'string' ? BY_NAME[name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] : undefined;
  if (!fn) throw new RangeError(`unknown metric ${JSON.stringify(name)}; expected a function or one of ${Object.keys(BY_NAME).map((n) => `'${n}'`).join(', ')}`);
  return fn;
}

/** The metrics that only ask which class is largest: softmax, which keeps the order, leaves them unchanged. */
export const LARGEST_CLASS_METRICS: ReadonlySet<MetricFn> = new Set([categoricalAccuracy, sparseCategoricalAccuracy]);
