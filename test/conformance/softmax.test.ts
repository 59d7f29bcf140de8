import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, matchesOracle, seeded, snapshot, useTarget } from '../helpers.js';

describe.each(TARGETS)('softmax on $name', (target) => {
  useTarget(target);

  it('matches the oracle along any axis', () => {
    const data = seeded([4, 6, 33], 2, -5, 5);
    for (const axis of [-1, 0, 1]) {
      matchesOracle(() => et.softmax(et.tensor(data, [4, 6, 33]), axis), 1e-5, 1e-7);
      matchesOracle(() => et.logSoftmax(et.tensor(data, [4, 6, 33]), axis), 1e-5, 1e-5);
    }
  });

  it('stays exact and finite for logits of magnitude 1e4', () => {
    const x = et.tensor([[1e4, 0, -1e4], [1e4, 1e4, -1e4], [-1e4, -1e4 + 1, -1e4 + 2]]);
    const p = et.softmax(x);
    const e1 = 1 / (1 + Math.E + Math.E ** 2);
    expectClose(p, { values: [1, 0, 0, 0.5, 0.5, 0, e1, Math.E * e1, Math.E ** 2 * e1], shape: [3, 3] }, 1e-6, 1e-7);
    const lp = et.logSoftmax(x);
    const v = Array.from(lp.dataSync());
    expect(v.every(Number.isFinite)).toBe(true);
    expectClose(lp, { values: [0, -1e4, -2e4, -Math.LN2, -Math.LN2, -2e4 - Math.LN2, Math.log(e1), 1 + Math.log(e1), 2 + Math.log(e1)], shape: [3, 3] }, 1e-6, 1e-5);
  });

  it('rows sum to one', () => {
    const p = et.softmax(et.tensor(seeded([50, 1001], 3, -20, 20), [50, 1001]));
    expectClose(et.sum(p, 1), { values: new Array(50).fill(1), shape: [50] }, 1e-5);
  });

  it('sparseSoftmaxCrossEntropy: one fused kernel for value and gradient, exact for 1e4 logits', () => {
    const logits = seeded([37, 11], 5, -8, 8);
    const labels = Int32Array.from({ length: 37 }, (_, i) => (i * 7) % 11);
    matchesOracle(() => et.sparseSoftmaxCrossEntropy(et.tensor(logits, [37, 11]), et.tensor(labels)), 1e-5, 1e-6);
    const big = et.tensor([[1e4, 0, -1e4], [-1e4, 1e4, 1e4]]);
    expectClose(et.sparseSoftmaxCrossEntropy(big, [2, 1]), { values: [2e4, Math.LN2], shape: [2] }, 1e-6, 1e-6);
    const g = et.grad((x: et.Tensor) => et.sparseSoftmaxCrossEntropy(x, [2, 1]).sum())(big);
    expectClose(g, { values: [1, 0, -1, 0, -0.5, 0.5], shape: [2, 3] }, 1e-6, 1e-6);
    expect(() => et.sparseSoftmaxCrossEntropy(big, [0, 3])).toThrow(/label 3|holds 3/);
    expect(() => et.sparseSoftmaxCrossEntropy(big, [0])).toThrow(/\[2,3\] and \[1\]/);
  });

  it('sparseSoftmaxCrossEntropy with reduction mean: the mean of the rows and its gradient, from one kernel', () => {
    const values = seeded([29, 7], 9, -6, 6);
    const labels = Int32Array.from({ length: 29 }, (_, i) => (i * 3) % 7);
    const mean = matchesOracle(() => et.sparseSoftmaxCrossEntropy(et.tensor(values, [29, 7]), et.tensor(labels), 'mean'), 1e-6, 1e-6);
    const x = et.tensor(values, [29, 7]);
    expect(mean.shape).toEqual([]);
    expectClose(mean, snapshot(et.mean(et.sparseSoftmaxCrossEntropy(x, et.tensor(labels)))), 1e-6, 1e-6);
    const fused = et.grad((t: et.Tensor) => et.mul(et.sparseSoftmaxCrossEntropy(t, et.tensor(labels), 'mean'), 3))(x);
    const separate = et.grad((t: et.Tensor) => et.mul(et.mean(et.sparseSoftmaxCrossEntropy(t, et.tensor(labels))), 3))(x);
    expectClose(fused, snapshot(separate), 1e-6, 1e-7);
    expect(et.sparseSoftmaxCrossEntropy(et.zeros([0, 3]), et.zeros([0], 'int32'), 'mean').dataSync()[0]).toBeNaN();
    expect(() => et.sparseSoftmaxCrossEntropy(x, et.tensor(labels), 'sum' as never)).toThrow(/reduction must be 'none' or 'mean', got "sum"/);
  });
});
