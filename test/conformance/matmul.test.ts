import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, matchesOracle, seeded, useTarget } from '../helpers.js';

const SIZES = [1, 7, 17, 63, 65, 257];

describe.each(TARGETS)('matMul on $name', (target) => {
  useTarget(target);

  it('matches the oracle for odd sizes and every transpose combination', () => {
    const shapes: [number, number, number][] = [
      ...SIZES.map((s): [number, number, number] => [s, s, s]),
      [1, 257, 7], [65, 1, 17], [17, 63, 1], [33, 129, 31], [5, 300, 47],
    ];
    for (const [m, n, k] of shapes) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        const a = seeded(ta ? [k, m] : [m, k], m * 31 + k);
        const b = seeded(tb ? [n, k] : [k, n], n * 17 + k);
        // float32 accumulation: error grows with k.
        matchesOracle(() => et.matMul(et.tensor(a, ta ? [k, m] : [m, k]), et.tensor(b, tb ? [n, k] : [k, n]), ta, tb), 1e-4, 2e-5 * Math.sqrt(k));
      }
    }
  });

  it('multiplies by the identity exactly', () => {
    const a = seeded([9, 9], 1);
    expectClose(et.matMul(et.tensor(a, [9, 9]), et.eye(9)), { values: Array.from(a), shape: [9, 9] }, 0, 0);
  });

  it('batches, with broadcast batch dimensions on either side', () => {
    const cases: [number[], number[]][] = [
      [[4, 5, 6], [4, 6, 3]], [[4, 5, 6], [6, 3]], [[5, 6], [4, 6, 3]], [[2, 1, 5, 6], [3, 6, 2]], [[1, 5, 6], [3, 6, 2]],
    ];
    for (const [sa, sb] of cases) {
      matchesOracle(() => et.matMul(et.tensor(seeded(sa, 2), sa), et.tensor(seeded(sb, 3), sb)), 1e-5, 1e-5);
    }
    expect(et.matMul(et.zeros([2, 1, 5, 6]), et.zeros([3, 6, 2])).shape).toEqual([2, 3, 5, 2]);
  });

  it('handles empty dimensions', () => {
    expect(et.matMul(et.zeros([0, 3]), et.zeros([3, 4])).shape).toEqual([0, 4]);
    expectClose(et.matMul(et.zeros([2, 0]), et.zeros([0, 3])), { values: [0, 0, 0, 0, 0, 0], shape: [2, 3] }, 0, 0);
  });

  it('names both shapes when the inner dimensions differ', () => {
    expect(() => et.matMul(et.zeros([2, 3]), et.zeros([4, 5]))).toThrow(/\[2,3\].*\[4,5\]/);
    expect(() => et.matMul(et.zeros([3]), et.zeros([3, 3]))).toThrow(/rank >= 2/);
    expect(() => et.matMul(et.zeros([2, 2, 3]), et.zeros([3, 3, 2]))).toThrow(/batch dimensions/);
  });

  it('dot and outerProduct', () => {
    expectClose(et.dot([1, 2, 3], [4, 5, 6]), { values: [32], shape: [] });
    expectClose(et.dot([[1, 2], [3, 4]], [1, 1]), { values: [3, 7], shape: [2] });
    expectClose(et.outerProduct([1, 2], [3, 4, 5]), { values: [3, 4, 5, 6, 8, 10], shape: [2, 3] });
  });
});
