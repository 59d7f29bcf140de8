import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { onJsFloat64 } from '../autograd/gradcheck_helpers.js';
import { TARGETS, expectClose, matchesOracle, seeded, snapshot, useTarget } from '../helpers.js';

type Reducer = (x: et.Tensor, axis?: number | number[], keepDims?: boolean) => et.Tensor;
const REDUCERS: [string, Reducer][] = [
  ['sum', et.sum], ['mean', et.mean], ['max', et.max], ['min', et.min], ['prod', et.prod],
  ['variance', et.variance], ['logSumExp', et.logSumExp],
];
const AXES: (number | number[] | undefined)[] = [undefined, 0, 1, 2, -1, [0, 2], [1, 2], [0, 1], [0, 1, 2], []];

describe.each(TARGETS)('reductions on $name', (target) => {
  useTarget(target);

  it.each(REDUCERS)('%s over any set of axes, with and without keepDims', (_, op) => {
    const shape = [3, 5, 7];
    const data = seeded(shape, 11, -1.2, 1.2);
    for (const axis of AXES) {
      for (const keepDims of [false, true]) {
        matchesOracle(() => op(et.tensor(data, shape), axis, keepDims), 2e-5, 1e-6);
      }
    }
    const big = seeded([1000, 300], 4, -1, 1);
    matchesOracle(() => op(et.tensor(big, [1000, 300]), 1), 2e-5, 1e-5);
  });

  it('logSumExp of values near ±1e3 with different row maxima keeps float32 relative accuracy over any axes', () => {
    const shape = [3, 4, 5];
    // The sign alternates along axis 1, and each slice along axis 0 is 3 above the one before.
    const v = seeded(shape, 14, -4, 4).map((u, i) => u + (Math.floor(i / 5) % 2 ? -1e3 : 1e3) + 3 * Math.floor(i / 20));
    for (const axis of AXES) {
      for (const keepDims of [false, true]) {
        const expected = onJsFloat64(() => snapshot(et.logSumExp(et.tensor(v, shape), axis, keepDims)));
        expectClose(et.logSumExp(et.tensor(v, shape), axis, keepDims), expected, 2e-7, 0);
      }
    }
  });

  it('argMax / argMin pick the first extreme along an axis', () => {
    const x = et.tensor([[1, 5, 5], [7, 0, 7]]);
    expect(Array.from(et.argMax(x, 1).dataSync())).toEqual([1, 0]);
    expect(Array.from(et.argMin(x, 1).dataSync())).toEqual([0, 1]);
    expect(Array.from(et.argMax(x).dataSync())).toEqual([1, 0, 1]);
    expect(et.argMax(x).dtype).toBe('int32');
    const data = seeded([4, 9, 6], 9);
    for (const axis of [0, 1, 2]) matchesOracle(() => et.argMax(et.tensor(data, [4, 9, 6]), axis), 0, 0);
  });

  it('closed forms: the sum of 1e6 ones, identities of empty reductions', () => {
    expectClose(et.sum(et.ones([1_000_000])), { values: [1e6], shape: [] }, 0, 0);
    expectClose(et.sum(et.zeros([0, 3]), 0), { values: [0, 0, 0], shape: [3] });
    expectClose(et.prod(et.zeros([0, 2]), 0), { values: [1, 1], shape: [2] });
    expectClose(et.max(et.zeros([0, 2]), 0), { values: [-Infinity, -Infinity], shape: [2] });
    expectClose(et.mean(et.tensor([1, 2, 3, 4], [4], 'int32')), { values: [2.5], shape: [], dtype: 'float32' });
    expect(et.sum(et.tensor([1, 2], [2], 'int32')).dtype).toBe('int32');
    const m = et.moments(et.tensor([1, 2, 3, 4]), 0);
    expectClose(m.mean, { values: [2.5], shape: [] });
    expectClose(m.variance, { values: [1.25], shape: [] });
  });

  it('rejects bad axes with the allowed range', () => {
    expect(() => et.sum(et.zeros([2, 3]), 2)).toThrow(/axis 2 is out of range for a tensor of rank 2 \(allowed: -2 to 1\)/);
    expect(() => et.sum(et.zeros([2, 3]), [0, 0])).toThrow(/same axis twice/);
    expect(() => et.argMax(et.zeros([2, 0]), 1)).toThrow(/empty/);
  });
});
