/**
 * What model.compile accepts, resolved: optimizers, losses and metrics by Keras name (camelCase
 * or snake_case) or given directly. A cross-entropy loss knows the activation whose logits it
 * can take instead of probabilities (softmax, sigmoid), so a classifier trains on exact logits
 * as Keras does.
 */
import type { Tensor } from '../tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, huberLoss, meanAbsoluteError, meanSquaredError, sparseCategoricalCrossentropy } from '../losses/index.js';
import { adam, adamw, momentum, Optimizer, rmsprop, sgd } from '../optim/index.js';
import { accuracy, binaryAccuracy, categoricalAccuracy, LARGEST_CLASS_METRICS, metricByName, sparseCategoricalAccuracy } from '../metrics/index.js';

export type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

export interface CompiledLoss {
  name: string;
  fn: LossOrMetricFn;
  /** The same loss taking the logits of this output activation. */
  logits?: { activation: 'softmax' | 'sigmoid'; fn: LossOrMetricFn };
}

export interface CompiledMetric {
  /** The log key: the name the user gave ('accuracy', 'acc', ...) or the function's name. */
  name: string;
  fn: LossOrMetricFn;
  /**
   * An output activation whose logits give fn the same value as its outputs: softmax for the
   * metrics that only ask which class is largest (softmax keeps the order), so the training
   * step need not compute the probabilities for them.
   */
  sameOnLogitsOf?: 'softmax';
}

const OPTIMIZERS: Record<string, () => Optimizer> = {
  sgd: () => sgd(0.01),
  momentum: () => momentum(0.01, 0.9),
  adam: () => adam(),
  adamw: () => adamw(),
  rmsprop: () => rmsprop(0.001),
};

const LOSSES: Record<string, Omit<CompiledLoss, 'name'>> = {
  sparseCategoricalCrossentropy: {
    fn: (t, p) => sparseCategoricalCrossentropy(t, p),
    logits: { activation: 'softmax', fn: (t, z) => sparseCategoricalCrossentropy(t, z, { fromLogits: true }) },
  },
  categoricalCrossentropy: {
    fn: (t, p) => categoricalCrossentropy(t, p),
    logits: { activation: 'softmax', fn: (t, z) => categoricalCrossentropy(t, z, { fromLogits: true }) },
  },
  binaryCrossentropy: {
    fn: (t, p) => binaryCrossentropy(t, p),
    logits: { activation: 'sigmoid', fn: (t, z) => binaryCrossentropy(t, z, { fromLogits: true }) },
  },
  meanSquaredError: { fn: (t, p) => meanSquaredError(t, p) },
  meanAbsoluteError: { fn: (t, p) => meanAbsoluteError(t, p) },
  huber: { fn: (t, p) => huberLoss(t, p) },
};
const LOSS_ALIASES: Record<string, string> = { mse: 'meanSquaredError', mae: 'meanAbsoluteError', huberLoss: 'huber' };

/** 'sparse_categorical_crossentropy' -> 'sparseCategoricalCrossentropy'. */
function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function list(names: string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

export function resolveOptimizer(optimizer: unknown): Optimizer {
  if (optimizer instanceof Optimizer) return optimizer;
  const factory = typeof optimizer === 'string' ? OPTIMIZERS[optimizer.toLowerCase()] : undefined;
  if (!factory) throw new RangeError(`compile: unknown optimizer ${JSON.stringify(optimizer)}; pass an optimizer (et.train.adam(0.001)) or one of ${list(Object.keys(OPTIMIZERS))}`);
  return factory();
}

export function resolveLoss(loss: unknown): CompiledLoss {
  if (typeof loss === 'function') return { name: loss.name || 'loss', fn: loss as LossOrMetricFn };
  const key = typeof loss === 'string' ? camelCase(loss) : '';
  const name = LOSS_ALIASES[key] ?? key;
  const spec = LOSSES[name];
  if (!spec) throw new RangeError(`compile: unknown loss ${JSON.stringify(loss)}; pass a function (yTrue, yPred) => scalar or one of ${list([...Object.keys(LOSSES), ...Object.keys(LOSS_ALIASES)])}`);
  return { name, ...spec };
}

/** 'accuracy' means the accuracy that fits the loss, as in Keras. */
function accuracyFor(loss: CompiledLoss): LossOrMetricFn {
  switch (loss.name) {
    case 'sparseCategoricalCrossentropy': return sparseCategoricalAccuracy;
    case 'categoricalCrossentropy': return categoricalAccuracy;
    case 'binaryCrossentropy': return binaryAccuracy;
    default: return accuracy;
  }
}

export function resolveMetrics(metrics: unknown, loss: CompiledLoss): CompiledMetric[] {
  if (metrics === undefined || metrics === null) return [];
  const items = Array.isArray(metrics) ? metrics : [metrics];
  return items.map((m, i) => {
    if (typeof m === 'function') return { name: m.name || `metric_${i}`, fn: m as LossOrMetricFn };
    if (typeof m !== 'string') throw new TypeError(`compile: metrics[${i}] must be a name such as 'accuracy' or a function, got ${m === null ? 'null' : typeof m}`);
    const fn = m === 'accuracy' || m === 'acc' ? accuracyFor(loss) : metricByName(m);
    return LARGEST_CLASS_METRICS.has(fn) ? { name: m, fn, sameOnLogitsOf: 'softmax' } : { name: m, fn };
  });
}
