import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, matchesOracle, seeded, useTarget } from '../helpers.js';

const ids = (values: number[]) => et.tensor(values, [values.length], 'int32');
/** Deterministic ids in [0, numSegments). */
const randomIds = (n: number, numSegments: number, seed: number) =>
  et.tensor(Array.from(seeded([n], seed, 0, numSegments), Math.floor), [n], 'int32');

describe.each(TARGETS)('unsortedSegmentSum on $name', (target) => {
  useTarget(target);

  it('repeated ids add up, ids never used give zero rows, in x\'s shape after the first axis', () => {
    const x = et.tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    const sums = et.unsortedSegmentSum(x, ids([3, 0, 3, 1, 3]), 5);
    expectClose(sums, { values: [3, 4, 7, 8, 0, 0, 15, 18, 0, 0], shape: [5, 2], dtype: 'float32' }, 0, 0);
    expectClose(x.unsortedSegmentSum([3, 0, 3, 1, 3], 4), { values: [3, 4, 7, 8, 0, 0, 15, 18], shape: [4, 2] }, 0, 0);
    matchesOracle(() => et.unsortedSegmentSum(et.tensor(seeded([6, 3], 1), [6, 3]), ids([2, 0, 2, 2, 5, 0]), 7));
  });

  it('rank 1 and rank 3, no rows, no columns', () => {
    matchesOracle(() => et.unsortedSegmentSum(et.tensor(seeded([9], 2), [9]), ids([1, 1, 0, 3, 1, 0, 3, 3, 2]), 5));
    matchesOracle(() => et.unsortedSegmentSum(et.tensor(seeded([4, 3, 5], 3), [4, 3, 5]), ids([1, 0, 1, 1]), 3));
    expectClose(et.unsortedSegmentSum(et.zeros([0, 3]), ids([]), 2), { values: [0, 0, 0, 0, 0, 0], shape: [2, 3] }, 0, 0);
    expect(et.unsortedSegmentSum(et.zeros([4, 0]), ids([0, 1, 0, 1]), 3).shape).toEqual([3, 0]);
    expect(et.unsortedSegmentSum(et.zeros([0, 2]), ids([]), 0).shape).toEqual([0, 2]);
  });

  it('large problems: wide rows over few segments, narrow rows over many (every vector width and split, ragged tails)', () => {
    matchesOracle(() => et.unsortedSegmentSum(et.tensor(seeded([1000, 300], 4), [1000, 300]), randomIds(1000, 50, 5), 50), 1e-5, 1e-5);
    matchesOracle(() => et.unsortedSegmentSum(et.tensor(seeded([20000, 19], 6), [20000, 19]), randomIds(20000, 3000, 7), 3001), 1e-5, 1e-5);
  });

  it('an output past 2^24 elements, which the gpu hands to the CPU', () => {
    const sums = et.unsortedSegmentSum(et.ones([3, 4097]), ids([4095, 0, 4095]), 4096);
    expect(sums.shape).toEqual([4096, 4097]);
    expectClose(et.sum(sums, 1).gather([0, 1, 4095]), { values: [4097, 0, 2 * 4097], shape: [3] }, 0, 0);
  });

  it('int32 x: exact sums, wrapping like Int32Array', () => {
    const x = et.tensor([[2 ** 31 - 1, 5], [1, -7], [-(2 ** 31), 3]], [3, 2], 'int32');
    const sums = et.unsortedSegmentSum(x, ids([0, 0, 1]), 2);
    expectClose(sums, { values: [-(2 ** 31), -2, -(2 ** 31), 3], shape: [2, 2], dtype: 'int32' }, 0, 0);
    matchesOracle(() => et.unsortedSegmentSum(et.cast(et.tensor(seeded([300, 37], 8, -1e4, 1e4), [300, 37]), 'int32'), randomIds(300, 11, 9), 11), 0, 0);
  });

  it('bad arguments are errors that say what is wrong', () => {
    const x = et.tensor(seeded([4, 3], 10), [4, 3]);
    expect(() => et.unsortedSegmentSum(x, ids([0, 1, -1, 2]), 4)).toThrow(/segment id -1 at position 2.*outside the range \[0, 4\)/);
    expect(() => et.unsortedSegmentSum(x, ids([0, 1, 2, 4]), 4)).toThrow(/segment id 4 at position 3.*outside the range \[0, 4\)/);
    expect(() => et.unsortedSegmentSum(x, ids([0, 1, 2, 3]), 2.5)).toThrow(/numSegments must be a non-negative integer, got 2.5/);
    expect(() => et.unsortedSegmentSum(x, ids([0, 1, 2, 3]), -1)).toThrow(/numSegments must be a non-negative integer, got -1/);
    expect(() => et.unsortedSegmentSum(x, ids([0, 1, 2]), 4)).toThrow(/one id per row of x \(shape \[4\]\), got segmentIds \[3\] for x \[4,3\]/);
    expect(() => et.unsortedSegmentSum(x, et.tensor([[0, 1], [2, 3]], [2, 2], 'int32'), 4)).toThrow(/got segmentIds \[2,2\]/);
    expect(() => et.unsortedSegmentSum(x, et.tensor([0, 1, 2, 3]), 4)).toThrow(/segmentIds must be int32, got float32/);
    expect(() => et.unsortedSegmentSum(x, [0, 1, 2.5, 3], 4)).toThrow(/segmentIds must be integers/);
    expect(() => et.unsortedSegmentSum(et.greater(x, 0), ids([0, 1, 2, 3]), 4)).toThrow(/x must be float32 or int32, got bool/);
    expect(() => et.unsortedSegmentSum(et.scalar(1), ids([0]), 4)).toThrow(/x must have an axis of rows/);
  });

  it('the gradient of gather is a segment sum, with no [indices, vocabulary] one-hot product', () => {
    // Made inside, so that the oracle's run makes its own on js.
    const embeddingGradient = () => {
      const table = et.tensor(seeded([50000, 16], 11), [50000, 16]);
      const indices = et.tensor(Array.from(seeded([8, 64], 12, 0, 50000), Math.floor), [8, 64], 'int32');
      return et.grad((t) => et.gather(t, indices))(table, et.tensor(seeded([8, 64, 16], 13), [8, 64, 16]));
    };
    const { result, kernels } = et.profile(embeddingGradient);
    const names = kernels.map((k) => k.name);
    expect(names).toContain('UnsortedSegmentSum');
    expect(names.filter((k) => ['OneHot', 'MatMul', 'Cast'].includes(k))).toEqual([]);
    expect(result.shape).toEqual([50000, 16]);
    matchesOracle(embeddingGradient);
  });

  it('gather gradients along later axes, and second order through both gradients', () => {
    const x = () => et.tensor(seeded([3, 5, 4], 14), [3, 5, 4]);
    const idx = () => et.tensor([[4, 0, 4], [2, 4, 0]], [2, 3], 'int32');
    matchesOracle(() => et.grad((t) => et.gather(t, idx(), 1))(x(), et.tensor(seeded([3, 2, 3, 4], 15), [3, 2, 3, 4])));
    matchesOracle(() => et.grad((t) => et.gather(t, [3, 3, 1], 2))(x(), et.tensor(seeded([3, 5, 3], 16), [3, 5, 3])));
    // f = sum(gather(t)^2) / 2 has df/dt[n] = count(n) t[n], so d sum(df/dt) / dt[n] = count(n).
    const first = (t: et.Tensor) => et.grad((u) => et.div(et.sum(et.square(et.gather(u, idx(), 1))), 2))(t);
    const counts = [2, 0, 1, 0, 3].flatMap((c) => new Array(4).fill(c));
    expectClose(et.grad((t) => et.sum(first(t)))(x()), { values: [...counts, ...counts, ...counts], shape: [3, 5, 4] }, 0, 0);
    // The segment sum's own gradient: each row gets its segment's dy.
    expectClose(
      et.grad((t) => et.unsortedSegmentSum(t, ids([2, 0, 2]), 3))(et.zeros([3, 2]), et.tensor([[1, 2], [3, 4], [5, 6]])),
      { values: [5, 6, 1, 2, 5, 6], shape: [3, 2] }, 0, 0,
    );
  });
});
