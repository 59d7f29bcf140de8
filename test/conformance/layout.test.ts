import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, matchesOracle, seeded, useTarget } from '../helpers.js';

describe.each(TARGETS)('shape and copy ops on $name', (target) => {
  useTarget(target);
  const shape = [3, 4, 5, 2];
  const data = seeded(shape, 21);
  const x = () => et.tensor(data, shape);

  it('transpose: every permutation of a rank-4 tensor, all dtypes, the default reversal', () => {
    const perms = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 2, 3], [0, 2, 3, 1], [2, 0, 3, 1], [0, 1, 3, 2]];
    for (const perm of perms) {
      matchesOracle(() => et.transpose(x(), perm), 0, 0);
      matchesOracle(() => et.transpose(et.cast(x().mul(10), 'int32'), perm), 0, 0);
      matchesOracle(() => et.transpose(et.greater(x(), 0), perm), 0, 0);
    }
    matchesOracle(() => et.transpose(et.tensor(seeded([67, 131], 1), [67, 131])), 0, 0);
    expect(et.transpose(x()).shape).toEqual([2, 5, 4, 3]);
    expect(() => et.transpose(x(), [0, 1, 1, 2])).toThrow(/not a permutation/);
  });

  it('slice, split and unstack', () => {
    matchesOracle(() => et.slice(x(), [1, 0, 2, 1], [2, -1, 3, 1]), 0, 0);
    matchesOracle(() => et.slice(x(), 1), 0, 0);
    expectClose(et.slice([1, 2, 3, 4], [1], [2]), { values: [2, 3], shape: [2] });
    const parts = et.split(x(), [1, -1], 1);
    expect(parts.map((p) => p.shape)).toEqual([[3, 1, 5, 2], [3, 3, 5, 2]]);
    matchesOracle(() => et.split(x(), 5, 2)[3], 0, 0);
    expect(et.unstack(x(), 1).map((p) => p.shape)).toEqual(new Array(4).fill([3, 5, 2]));
    expect(() => et.slice(x(), [2, 0, 0, 0], [2, 1, 1, 1])).toThrow(/out of bounds for shape \[3,4,5,2\]/);
    expect(() => et.split(x(), 3, 1)).toThrow(/cannot be split into 3/);
  });

  it('concat and stack', () => {
    const a = seeded([2, 3, 4], 1);
    const b = seeded([2, 5, 4], 2);
    matchesOracle(() => et.concat([et.tensor(a, [2, 3, 4]), et.tensor(b, [2, 5, 4])], 1), 0, 0);
    matchesOracle(() => et.concat([et.tensor(a, [2, 3, 4]), et.tensor(a, [2, 3, 4])], -1), 0, 0);
    matchesOracle(() => et.stack([et.tensor(a, [2, 3, 4]), et.tensor(a, [2, 3, 4]).neg()], 2), 0, 0);
    expectClose(et.concat([[1, 2], [3]]), { values: [1, 2, 3], shape: [3] });
    expect(() => et.concat([et.zeros([2, 3]), et.zeros([3, 3])], 1)).toThrow(/\[3,3\].*\[2,3\]/);
  });

  it('gather with indices of any rank, along any axis', () => {
    matchesOracle(() => et.gather(x(), [2, 0, 2], 0), 0, 0);
    matchesOracle(() => et.gather(x(), et.tensor([[1, 3], [0, 0]], [2, 2], 'int32'), 1), 0, 0);
    matchesOracle(() => et.gather(x(), [1], 3), 0, 0);
    expect(et.gather(x(), et.tensor([[1, 3], [0, 0]], [2, 2], 'int32'), 1).shape).toEqual([3, 2, 2, 5, 2]);
    expect(() => et.gather(x(), [0, 4], 1)).toThrow(/4/);
    expect(() => et.gather(x(), et.tensor([0.5]), 0)).toThrow(/int32/);
  });

  it('tile, pad, where, oneHot, reshape views', () => {
    matchesOracle(() => et.tile(et.tensor([[1, 2], [3, 4]]), [2, 3]), 0, 0);
    matchesOracle(() => et.tile(x(), [1, 2, 1, 3]), 0, 0);
    matchesOracle(() => et.tile(et.tensor([[true, false]]), [3, 0]), 0, 0);
    matchesOracle(() => et.pad(et.cast(x().mul(9), 'int32'), [[0, 1], [2, 0], [1, 1], [0, 0]], 7.9), 0, 0);
    matchesOracle(() => et.pad(et.greater(x(), 0), [[1, 1], [0, 0], [0, 2], [1, 0]], 1), 0, 0);
    matchesOracle(() => et.where(et.greater(x(), 0), x(), et.tensor(seeded([5, 1], 9), [5, 1])), 0, 0);
    matchesOracle(() => et.where(et.tensor([[true], [false], [true]]), et.tensor([1, 2, 3, 4], [4], 'int32'), et.scalar(-1, 'int32')), 0, 0);
    matchesOracle(() => et.oneHot(et.tensor([[0, 3], [9, -1]], [2, 2], 'int32'), 4), 0, 0);
    matchesOracle(() => et.pad(et.tensor([[1, 2], [3, 4]]), [[1, 0], [2, 1]], 9), 0, 0);
    matchesOracle(() => et.where(et.tensor([true, false, true]), et.tensor([[1, 2, 3]]), et.tensor([[4], [5]])), 0, 0);
    expect(et.oneHot([0, 2, 5], 3).arraySync()).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0]]);
    const r = et.reshape(x(), [-1, 10]);
    expect(r.shape).toEqual([12, 10]);
    expect(et.expandDims(r, -1).shape).toEqual([12, 10, 1]);
    expect(et.squeeze(et.zeros([1, 3, 1])).shape).toEqual([3]);
    expect(() => et.reshape(x(), [7, -1])).toThrow(/cannot reshape a tensor of shape \[3,4,5,2\]/);
    expect(() => et.squeeze(et.zeros([1, 3]), [1])).toThrow(/axis 1 .* has size 3/);
  });
});
