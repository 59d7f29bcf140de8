import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, oracle, useTarget } from '../helpers.js';

describe.each(TARGETS)('tensor creation on $name', (target) => {
  useTarget(target);

  it('builds tensors from nested arrays, typed arrays and scalars', () => {
    const t = et.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.backend).toBe(target.backend);
    expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(et.tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(et.tensor([true, false]).dtype).toBe('bool');
    expect(et.scalar(3).rank).toBe(0);
    expect(et.tensor([1, 2, 3, 4], [2, 2]).arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(et.full([2], 7, 'int32').arraySync()).toEqual([7, 7]);
    expect(Array.from(et.arange(5).dataSync())).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(et.arange(1, 2, 0.25).dataSync())).toEqual([1, 1.25, 1.5, 1.75]);
    expect(Array.from(et.linspace(0, 1, 5).dataSync())).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(et.eye(2, 3).arraySync()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(et.zerosLike(et.ones([2], 'int32')).dtype).toBe('int32');
  });

  it('gives clear errors for wrong-length data, ragged arrays and bad dtypes', () => {
    expect(() => et.tensor([1, 2, 3], [2, 2])).toThrow(/shape \[2,2\] needs 4 values, got 3/);
    expect(() => et.tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => et.tensor([1], [1], 'float16' as et.DType)).toThrow(/unknown dtype "float16"/);
    expect(() => et.zeros([2, -1])).toThrow(/non-negative integers/);
  });

  it('draws the same random numbers as every other backend for a seed', () => {
    const expected = oracle(() => et.randomNormal([1000], 1, 2, 42));
    const got = Array.from(et.randomNormal([1000], 1, 2, 42).dataSync());
    expect(got).toEqual(expected.values);
    et.setSeed(7);
    const a = Array.from(et.randomUniform([5], -1, 1).dataSync());
    et.setSeed(7);
    const b = Array.from(et.randomUniform([5], -1, 1).dataSync());
    expect(a).toEqual(b);
    const mean = got.reduce((s, v) => s + v, 0) / got.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.2);
  });

  it('prints like tfjs', () => {
    expect(et.tensor([[1, 2], [3, 4]]).toString()).toBe('Tensor\n    [[1, 2],\n     [3, 4]]');
  });
});
