import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, matchesOracle, seeded, useTarget } from '../helpers.js';

// Rounded to float32 up front: the js target's float64 oracle would otherwise take 1e30 as is,
// and sin(1e30) has nothing to do with sin(fround(1e30)), which every float32 target computes.
const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, 1e-30, -1e-30, 1e30, -1e30, 88, -88, 100, -100, Infinity, -Infinity, NaN].map(Math.fround);

const UNARY: [string, (x: et.Tensor) => et.Tensor, [number, number]][] = [
  ['neg', (x) => et.neg(x), [-5, 5]],
  ['abs', (x) => et.abs(x), [-5, 5]],
  ['exp', (x) => et.exp(x), [-90, 90]],
  ['log', (x) => et.log(x), [0, 1e6]],
  ['log1p', (x) => et.log1p(x), [-0.999, 10]],
  ['sqrt', (x) => et.sqrt(x), [0, 100]],
  ['rsqrt', (x) => et.rsqrt(x), [0.001, 100]],
  ['square', (x) => et.square(x), [-10, 10]],
  ['reciprocal', (x) => et.reciprocal(x), [-10, 10]],
  ['sign', (x) => et.sign(x), [-3, 3]],
  ['floor', (x) => et.floor(x), [-10, 10]],
  ['round', (x) => et.round(x), [-10, 10]],
  ['relu', (x) => et.relu(x), [-3, 3]],
  ['relu6', (x) => et.relu6(x), [-3, 9]],
  ['leakyRelu', (x) => et.leakyRelu(x, 0.2), [-3, 3]],
  ['elu', (x) => et.elu(x), [-5, 5]],
  ['selu', (x) => et.selu(x), [-5, 5]],
  ['gelu', (x) => et.gelu(x), [-6, 6]],
  ['sigmoid', (x) => et.sigmoid(x), [-30, 30]],
  ['tanh', (x) => et.tanh(x), [-10, 10]],
  ['softplus', (x) => et.softplus(x), [-30, 30]],
  ['sin', (x) => et.sin(x), [-10, 10]],
  ['cos', (x) => et.cos(x), [-10, 10]],
  ['clipByValue', (x) => et.clipByValue(x, -0.5, 0.25), [-2, 2]],
];

describe.each(TARGETS)('elementwise on $name', (target) => {
  useTarget(target);

  it.each(UNARY)('%s matches the oracle on random data, odd lengths and special values', (_, op, [lo, hi]) => {
    for (const n of [1, 15, 16, 17, 1000, 70_001]) {
      const data = seeded([n], n + 7, lo, hi);
      matchesOracle(() => op(et.tensor(data)), 4e-6, 1e-6);
    }
    matchesOracle(() => op(et.tensor(target.finiteMathOnly ? SPECIAL.filter(Number.isFinite) : SPECIAL)), 4e-6, 1e-30);
  });

  // The random cases' absolute tolerance hides errors in values this small; rounding 1 + x drops
  // x's low bits, so a plain log(1 + x) is off by up to 1e-3 relative here.
  it('log1p and softplus keep float32 relative accuracy for tiny arguments (|x| and exp(x) in 1e-8 .. 1e-4, both signs)', () => {
    const tiny = Float32Array.from({ length: 401 }, (_, k) => (k % 2 ? -1 : 1) * 10 ** (-8 + k / 100));
    expectClose(et.log1p(et.tensor(tiny)), { values: Array.from(tiny, (x) => Math.log1p(x)), shape: [401] }, 2.5e-7, 0);
    // softplus(x) = log1p(exp(x)) for x < 0; the gpu's exp alone is good to ~1e-6 at x = -18.
    const negative = Array.from(tiny, (t) => Math.fround(Math.log(Math.abs(t))));
    expectClose(et.softplus(et.tensor(negative)), { values: negative.map((x) => Math.log1p(Math.exp(x))), shape: [401] }, 3e-6, 0);
  });

  it('keeps int32 for neg, abs, square, sign and relu, and computes float ops in float32', () => {
    const x = et.tensor([-3, 0, 2, 7], [4], 'int32');
    expect(et.neg(x).dtype).toBe('int32');
    expect(Array.from(et.abs(x).dataSync())).toEqual([3, 0, 2, 7]);
    expect(Array.from(et.square(x).dataSync())).toEqual([9, 0, 4, 49]);
    expect(Array.from(et.sign(x).dataSync())).toEqual([-1, 0, 1, 1]);
    expect(Array.from(et.relu(x).dataSync())).toEqual([0, 0, 2, 7]);
    const e = et.exp(x);
    expect(e.dtype).toBe('float32');
    expectClose(e, { values: [-3, 0, 2, 7].map(Math.exp), shape: [4] }, 1e-6);
  });

  it('rounds half to even', () => {
    expect(Array.from(et.round([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6]).dataSync())).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  const BINARY: [string, (a: et.TensorLike, b: et.TensorLike) => et.Tensor][] = [
    ['add', et.add], ['sub', et.sub], ['mul', et.mul], ['div', et.div], ['pow', et.pow],
    ['maximum', et.maximum], ['minimum', et.minimum], ['equal', et.equal], ['notEqual', et.notEqual],
    ['greater', et.greater], ['greaterEqual', et.greaterEqual], ['less', et.less], ['lessEqual', et.lessEqual],
  ];
  const BROADCASTS: [number[], number[]][] = [
    [[], []], [[5], []], [[], [5]], [[3, 4], [4]], [[3, 4], [3, 1]], [[3, 1], [1, 4]], [[4], [3, 4]],
    [[2, 3, 4], [3, 4]], [[2, 1, 4], [3, 1]], [[1], [7]], [[0], [1]], [[2, 0, 3], [3]], [[0, 4], [0, 4]],
    [[2, 3, 1, 5, 1, 2], [3, 4, 1, 6, 1]], [[33, 17], [33, 17]], [[257, 65], [65]],
  ];

  it.each(BINARY)('%s broadcasts like NumPy (scalars, size-1 dims, rank mismatch, empty)', (name, op) => {
    for (const [sa, sb] of BROADCASTS) {
      const a = seeded(sa, 3, name === 'pow' ? 0.1 : -2, 2);
      const b = seeded(sb, 5, -2, 2);
      matchesOracle(() => op(et.tensor(a, sa), et.tensor(b, sb)), 4e-6, 1e-6);
    }
  });

  it('binary ops on int32 wrap, floor-divide and compare like tfjs', () => {
    const a = et.tensor([7, -7, 2147483647, 5], [4], 'int32');
    const b = et.tensor([2, 2, 1, 0], [4], 'int32');
    expect(Array.from(et.div(a, b).dataSync())).toEqual([3, -4, 2147483647, 0]);
    expect(Array.from(et.add(a, b).dataSync())).toEqual([9, -5, -2147483648, 5]);
    expect(et.add(a, 1).dtype).toBe('int32');
    expect(et.add(a, 1.5).dtype).toBe('float32');
    const cmp = et.greater(a, b);
    expect(cmp.dtype).toBe('bool');
    expect(cmp.arraySync()).toEqual([true, false, true, true]);
  });

  it('a shape mismatch names both shapes', () => {
    expect(() => et.add(et.zeros([2, 3]), et.zeros([4, 3]))).toThrow(/\[2,3\] and \[4,3\]/);
    expect(() => et.mul(et.zeros([5]), et.zeros([2, 3]))).toThrow(/\[5\] and \[2,3\]/);
  });

  it('casts between dtypes (float -> int truncates, anything -> bool is != 0)', () => {
    expect(Array.from(et.cast([1.7, -1.7, 0, 3], 'int32').dataSync())).toEqual([1, -1, 0, 3]);
    expect(et.cast([0.5, 0, -2], 'bool').arraySync()).toEqual([true, false, true]);
    expect(() => et.cast([1], 'float64' as et.DType)).toThrow(/unknown dtype "float64".*'float32', 'int32', 'bool'/);
  });
});
