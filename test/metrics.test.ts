/**
 * et.metrics on every target: accuracy metrics against hand computation (scalar means over the
 * batch), ties and thresholds as Keras, the label shapes each accepts, shape errors naming both
 * shapes, no leaked intermediates, and Keras names through getMetric.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../src/index.js';
import { TARGETS, seeded, useTarget } from './helpers.js';

const m = et.metrics;

function scalarOf(t: et.Tensor): number {
  expect(t.shape).toEqual([]);
  expect(t.dtype).toBe('float32');
  return t.dataSync()[0];
}
const close = (got: number, want: number) => {
  if (!(Math.abs(got - want) <= 1e-6)) expect.fail(`expected ${want}, got ${got}`);
};

/** Index of the first largest value of each row of a flat [rows, cols] array. */
function argMaxRows(v: ArrayLike<number>, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < v.length / cols; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (v[r * cols + c] > v[r * cols + best]) best = c;
    out.push(best);
  }
  return out;
}
const fractionEqual = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).filter((x, i) => x === b[i]).length / a.length;

describe.each(TARGETS)('metrics on $name', (target) => {
  useTarget(target);
  const rows = 97;
  const classes = 7;
  const probs = seeded([rows, classes], 31, 0, 1);
  const labels = Int32Array.from(seeded([rows], 32, 0, classes), Math.floor);
  const oneHot = Float32Array.from({ length: rows * classes }, (_, i) => (labels[Math.floor(i / classes)] === i % classes ? 1 : 0));
  const predicted = argMaxRows(probs, classes);
  const expectedCategorical = fractionEqual(predicted, labels);

  it('the data is not degenerate: some rows are right and some wrong', () => {
    expect(expectedCategorical).toBeGreaterThan(0.05);
    expect(expectedCategorical).toBeLessThan(0.5);
  });

  it('accuracy: the fraction of equal elements, mixing int32 and float32', () => {
    close(scalarOf(m.accuracy(et.tensor([[1, 2], [3, 4]]), et.tensor([[1, 0], [3, 4]]))), 0.75);
    close(scalarOf(m.accuracy(et.tensor([1, 2, 3], [3], 'int32'), et.tensor([1, 2, 3.5]))), 2 / 3);
    close(scalarOf(m.accuracy([0, 1, 1, 0, 1], [0, 1, 0, 0, 0])), 0.6);
    const t = seeded([rows], 33, 0, 3).map(Math.floor);
    const p = seeded([rows], 34, 0, 3).map(Math.floor);
    close(scalarOf(m.accuracy(et.tensor(t), et.tensor(p))), fractionEqual(t, p));
  });

  it('binaryAccuracy: yPred > threshold against 0/1 labels, default threshold 0.5 (strictly greater, as Keras)', () => {
    close(scalarOf(m.binaryAccuracy(et.tensor([[0], [1], [0], [1]]), et.tensor([[0.5], [0.51], [0.5], [0.2]]))), 0.75);
    const t = seeded([rows, 3], 35, 0, 2).map(Math.floor);
    const p = seeded([rows, 3], 36, 0, 1);
    const at = (threshold: number) => fractionEqual(t, p.map((x) => (x > threshold ? 1 : 0)));
    close(scalarOf(m.binaryAccuracy(et.tensor(t, [rows, 3]), et.tensor(p, [rows, 3]))), at(0.5));
    close(scalarOf(m.binaryAccuracy(et.tensor(t, [rows, 3]), et.tensor(p, [rows, 3]), 0.8)), at(0.8));
    expect(at(0.8)).not.toBeCloseTo(at(0.5), 2);
  });

  it('categoricalAccuracy: argMax of one-hot labels against argMax of predictions, on any rank', () => {
    close(scalarOf(m.categoricalAccuracy(et.tensor(oneHot, [rows, classes]), et.tensor(probs, [rows, classes]))), expectedCategorical);
    const t3 = et.tensor(oneHot.slice(0, 6 * classes), [2, 3, classes]);
    const p3 = et.tensor(probs.slice(0, 6 * classes), [2, 3, classes]);
    close(scalarOf(m.categoricalAccuracy(t3, p3)), fractionEqual(predicted.slice(0, 6), labels.slice(0, 6)));
    // Ties go to the first index (tf.argmax).
    close(scalarOf(m.categoricalAccuracy([[1, 0], [0, 1]], [[0.5, 0.5], [0.5, 0.5]])), 0.5);
  });

  it('sparseCategoricalAccuracy: int labels of shape [n] or [n, 1] (float labels too) against argMax', () => {
    const p = et.tensor(probs, [rows, classes]);
    close(scalarOf(m.sparseCategoricalAccuracy(et.tensor(labels, [rows], 'int32'), p)), expectedCategorical);
    close(scalarOf(m.sparseCategoricalAccuracy(et.tensor(labels, [rows, 1], 'int32'), p)), expectedCategorical);
    close(scalarOf(m.sparseCategoricalAccuracy(et.tensor(Float32Array.from(labels), [rows]), p)), expectedCategorical);
    close(scalarOf(m.sparseCategoricalAccuracy([[2], [0]], [[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])), 0.5);
    close(scalarOf(m.sparseCategoricalAccuracy([0, 1], [[0.5, 0.5], [0.5, 0.5]])), 0.5);
  });

  it('leave only their result behind', () => {
    const t = et.tensor(labels, [rows, 1], 'int32');
    const p = et.tensor(probs, [rows, classes]);
    const oh = et.tensor(oneHot, [rows, classes]);
    const before = et.memory().numTensors;
    const results = [m.sparseCategoricalAccuracy(t, p), m.categoricalAccuracy(oh, p), m.binaryAccuracy(oh, p), m.accuracy(oh, p)];
    expect(et.memory().numTensors).toBe(before + results.length);
    et.dispose([...results, t, p, oh]);
  });

  it('name both shapes when they do not fit', () => {
    expect(() => m.accuracy(et.ones([2, 2]), et.ones([4]))).toThrow(/accuracy: yTrue \[2,\s*2\] and yPred \[4\] must have the same shape/);
    expect(() => m.binaryAccuracy(et.ones([3, 1]), et.ones([3]))).toThrow(/binaryAccuracy: yTrue \[3,\s*1\] and yPred \[3\] must have the same shape/);
    expect(() => m.categoricalAccuracy(et.ones([4, 3]), et.ones([4, 5]))).toThrow(/categoricalAccuracy: yTrue \[4,\s*3\] and yPred \[4,\s*5\] must have the same shape/);
    expect(() => m.sparseCategoricalAccuracy(et.tensor([1, 2, 0, 1, 1], [5], 'int32'), et.ones([4, 3])))
      .toThrow(/sparseCategoricalAccuracy: labels \[5\] do not fit predictions \[4,\s*3\]; expected labels of shape \[4\]/);
    expect(() => m.sparseCategoricalAccuracy(et.ones([4, 2], 'int32'), et.ones([4, 3]))).toThrow(/labels \[4,\s*2\] do not fit predictions \[4,\s*3\]/);
    expect(() => m.sparseCategoricalAccuracy(et.ones([3], 'int32'), et.scalar(1))).toThrow(/sparseCategoricalAccuracy: labels \[3\] do not fit predictions \[\]/);
  });
});

describe('getMetric', () => {
  it('maps Keras names, camelCase and snake_case, to the metric functions', () => {
    const t = et.tensor([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    const p = et.tensor([[0.2, 0.7, 0.1], [0.3, 0.6, 0.1], [0.1, 0.1, 0.8], [0.5, 0.4, 0.1]]);
    const labels = et.tensor([1, 0, 2, 1], [4], 'int32');
    const cases: [string[], () => et.Tensor, (metric: ReturnType<typeof m.getMetric>) => et.Tensor][] = [
      [['accuracy'], () => m.accuracy(t, p), (f) => f(t, p)],
      [['binary_accuracy', 'binaryAccuracy'], () => m.binaryAccuracy(t, p), (f) => f(t, p)],
      [['categorical_accuracy', 'categoricalAccuracy'], () => m.categoricalAccuracy(t, p), (f) => f(t, p)],
      [['sparse_categorical_accuracy', 'sparseCategoricalAccuracy'], () => m.sparseCategoricalAccuracy(labels, p), (f) => f(labels, p)],
    ];
    // accuracy 0, binaryAccuracy 9/12, the categorical ones 2/4 (and the sparse one rejects one-hot
    // labels), so a name mapped to the wrong metric shows.
    expect(cases.map(([, direct]) => scalarOf(direct()))).toEqual([0, 0.75, 0.5, 0.5]);
    for (const [names, direct, viaName] of cases) {
      for (const name of names) close(scalarOf(viaName(m.getMetric(name))), scalarOf(direct()));
    }
  });

  it('names the unknown metric and lists the known ones', () => {
    expect(() => m.getMetric('auc')).toThrow(/unknown metric "auc"; expected a function or one of 'accuracy', 'acc', 'binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy'/);
    expect(() => m.getMetric('sparse_accuracy')).toThrow(/unknown metric "sparse_accuracy"/);
  });

  it('model logs use the metric name the user passed', async () => {
    for (const name of ['accuracy', 'acc', 'sparse_categorical_accuracy']) {
      const model = et.sequential({ layers: [et.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: [name] });
      const history = await model.fit(et.tensor([[1, 2], [3, 4]]), et.tensor([0, 2], [2], 'int32'), { epochs: 1, verbose: 0 });
      expect(Object.keys(history.history).sort()).toEqual(['loss', name].sort());
      model.dispose();
    }
  });
});

describe('getMetric names for logs', () => {
  const t = et.tensor([[0, 1], [1, 0], [0, 1]]);
  const p = et.tensor([[0.2, 0.8], [0.3, 0.7], [0.9, 0.1]]);

  it('keeps the name as given: acc and accuracy are both accuracy, logged under their own key', () => {
    for (const name of ['acc', 'accuracy', 'binary_accuracy', 'categoricalAccuracy']) expect(m.getMetric(name).metricName).toBe(name);
    close(scalarOf(m.getMetric('acc')(t, p)), scalarOf(m.accuracy(t, p)));
    close(scalarOf(m.getMetric('categoricalAccuracy')(t, p)), 1 / 3);
  });

  it('takes a function, named by the function', () => {
    const myMetric = (a: et.Tensor, b: et.Tensor) => et.mean(et.abs(et.sub(a, b)));
    const metric = m.getMetric(myMetric);
    expect(metric.metricName).toBe('myMetric');
    close(scalarOf(metric(t, p)), scalarOf(myMetric(t, p)));
  });

  it('says what it got when the identifier is neither a name nor a function', () => {
    expect(() => m.getMetric(5 as never)).toThrow(/unknown metric 5; expected a function or one of 'accuracy', 'acc'/);
  });
});
