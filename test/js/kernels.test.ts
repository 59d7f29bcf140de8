/** Closed-form checks of the js kernels, called directly through the registry. */
import { describe, expect, it } from 'vitest';
import { registerJsKernels } from '../../src/backend/js/index.js';
import { KERNEL_NAMES, type CpuTensor } from '../../src/backend/kernel.js';
import { findKernel } from '../../src/backend/registry.js';
import { erf, erfc } from '../../src/math/erf.js';
import type { DType } from '../../src/types.js';

registerJsKernels();

const f32 = (shape: number[], values: number[]): CpuTensor => ({ shape, dtype: 'float32', data: Float32Array.from(values) });
const i32 = (shape: number[], values: number[]): CpuTensor => ({ shape, dtype: 'int32', data: Int32Array.from(values) });
const bool = (shape: number[], values: number[]): CpuTensor => ({ shape, dtype: 'bool', data: Uint8Array.from(values) });

function run(name: string, inputs: CpuTensor[], attrs: Record<string, unknown> = {}): CpuTensor {
  const kernel = findKernel(name, 'js');
  if (!kernel) throw new Error(`no js kernel ${name}`);
  return kernel.kernelFunc(inputs, attrs) as CpuTensor;
}
const values = (t: CpuTensor) => Array.from(t.data);
const fr = (xs: number[]) => xs.map(Math.fround);
/** Runs a float unary kernel on xs, expecting fround(fn(x)) exactly (NaN and -0 included). */
function expectUnary(name: string, xs: number[], fn: (x: number) => number, attrs: Record<string, unknown> = {}) {
  const out = run(name, [f32([xs.length], xs)], attrs);
  expect(out.dtype).toBe('float32');
  expect(out.shape).toEqual([xs.length]);
  expect(values(out)).toEqual(fr(xs.map((x) => fn(Math.fround(x)))));
}

describe('registration', () => {
  it('implements every kernel of the contract, once', () => {
    registerJsKernels(); // idempotent: a second registration would throw
    const missing = KERNEL_NAMES.filter((name) => findKernel(name, 'js')?.backendName !== 'js');
    expect(missing).toEqual([]);
  });
});

describe('erf', () => {
  it.each([
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [-3, -0.9999779095030014],
    [1e-10, 1.1283791670955126e-10],
    [0.1, 0.1124629160182849],
    [-0.9, -0.7969082124228322],
    [1.3, 0.9340079449406524],
    [4, 0.9999999845827421],
  ])('erf(%d)', (x, expected) => {
    expect(Math.abs(erf(x) - expected)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(expected));
  });
  it('handles the ends', () => {
    expect(erf(0)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(7)).toBe(1);
    expect(erf(NaN)).toBeNaN();
    expect(erf(-1e-300)).toBeCloseTo(-1.1283791670955126e-300, 310);
  });
  it('erfc keeps relative accuracy in the tail', () => {
    expect(erfc(5) / 1.5374597944280349e-12 - 1).toBeLessThan(1e-14);
    expect(erfc(10) / 2.088487583762545e-45 - 1).toBeLessThan(1e-14);
    expect(Math.abs(erfc(-1) - 1.8427007929497148)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(0.3) - 0.6713732405408726)).toBeLessThan(1e-15);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    for (const x of [0.1, 0.5, 0.9, 1.2, 2, 3.5]) expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThan(3e-16);
  });
});

describe('unary kernels', () => {
  const specials = [NaN, Infinity, -Infinity, 0, -0];
  it('Exp, Log, Log1p, Sqrt, Rsqrt, Reciprocal, Tanh, Sin, Cos are fround(Math.*)', () => {
    const xs = [0.5, -1.25, 3, 1e-7, 88, -100, ...specials];
    expectUnary('Exp', xs, Math.exp);
    expectUnary('Log', xs, Math.log);
    expectUnary('Log1p', xs, Math.log1p);
    expectUnary('Sqrt', xs, Math.sqrt);
    expectUnary('Rsqrt', xs, (x) => 1 / Math.sqrt(x));
    expectUnary('Reciprocal', xs, (x) => 1 / x);
    expectUnary('Tanh', xs, Math.tanh);
    expectUnary('Sin', xs, Math.sin);
    expectUnary('Cos', xs, Math.cos);
    expect(values(run('Exp', [f32([2], [89, -104])]))).toEqual([Infinity, 0]);
    expect(values(run('Log', [f32([3], [-1, 0, -0])]))).toEqual([NaN, -Infinity, -Infinity]);
    expect(values(run('Rsqrt', [f32([2], [0, -0])]))).toEqual([Infinity, -Infinity]);
  });

  it('Floor and Round (half to even)', () => {
    expectUnary('Floor', [1.5, -1.5, -0.2, 2, ...specials], Math.floor);
    const out = run('Round', [f32([14], [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 8388609, ...specials.slice(0, 3)])]);
    expect(values(out)).toEqual([0, 2, 2, 4, -0, -2, -2, 2, 3, -3, 8388609, NaN, Infinity, -Infinity]);
    expect(Object.is(out.data[4], -0)).toBe(true);
    // 0.49999997 (the float below 0.5) must not round up.
    expect(values(run('Round', [f32([2], [0.49999997, 4.5])]))).toEqual([0, 4]);
  });

  it('Relu6, LeakyRelu, ClipByValue, Relu', () => {
    expectUnary('Relu6', [-1, 3, 7, 6, NaN, Infinity, -Infinity], (x) => Math.min(Math.max(x, 0), 6));
    expect(values(run('LeakyRelu', [f32([5], [-2, 3, 0, NaN, -Infinity])], { alpha: 0.25 }))).toEqual([-0.5, 3, 0, NaN, -Infinity]);
    expect(values(run('ClipByValue', [f32([5], [-5, 0.5, 5, NaN, Infinity])], { min: -1, max: 2 }))).toEqual([-1, 0.5, 2, NaN, 2]);
    expect(values(run('Relu', [f32([5], [-3, 2.5, NaN, -Infinity, Infinity])]))).toEqual([0, 2.5, NaN, 0, Infinity]);
  });

  it('Elu, Selu', () => {
    expectUnary('Elu', [-1, 2, -1e-8, -Infinity, NaN, -0], (x) => (x < 0 ? Math.expm1(x) : x));
    const alpha = 1.6732632423543772848170429916717;
    const scale = 1.0507009873554804934193349852946;
    expectUnary('Selu', [-1, 2, -Infinity, Infinity, NaN], (x) => scale * (x < 0 ? alpha * Math.expm1(x) : x));
    expect(values(run('Selu', [f32([1], [-Infinity])]))[0]).toBeCloseTo(-1.7580993408473766, 6);
  });

  it('Gelu is the exact erf form, accurate far into the negative tail', () => {
    expectUnary('Gelu', [-1, 0.5, 2, 3], (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)));
    expect(values(run('Gelu', [f32([1], [1])]))[0]).toBe(Math.fround(0.8413447460685429));
    // x * Phi(x) at x = -10 is -7.619853e-23 (1 + erf would give 0).
    const tail = values(run('Gelu', [f32([1], [-10])]))[0];
    expect(tail / -7.619853024160527e-23 - 1).toBeLessThan(1e-6);
    expect(values(run('Gelu', [f32([4], [Infinity, -Infinity, NaN, 0])]))).toEqual([Infinity, -0, NaN, 0]);
  });

  it('Sigmoid and Softplus are stable for large |x|', () => {
    expect(values(run('Sigmoid', [f32([6], [0, 1000, -1000, -100, NaN, Infinity])]))).toEqual(
      fr([0.5, 1, 0, Math.exp(-100), NaN, 1]),
    );
    expectUnary('Sigmoid', [2, -2, 30, -30], (x) => 1 / (1 + Math.exp(-x)));
    expect(values(run('Softplus', [f32([7], [0, 1000, -1000, 1, -20, Infinity, -Infinity])]))).toEqual(
      fr([Math.LN2, 1000, 0, Math.log(1 + Math.E), Math.exp(-20), Infinity, 0]),
    );
  });

  it('Neg, Abs, Square, Sign on float32 with NaN, infinities and -0', () => {
    const xs = [2.5, -3, ...specials];
    expectUnary('Neg', xs, (x) => -x);
    expectUnary('Abs', xs, Math.abs);
    expectUnary('Square', [1.5, -3, 1e20, ...specials], (x) => x * x);
    const sign = run('Sign', [f32([xs.length], xs)]);
    expect(values(sign)).toEqual([1, -1, NaN, 1, -1, 0, 0]);
    expect(Object.is(sign.data[6], 0)).toBe(true); // Sign(-0) = +0
  });

  it('int-preserving kernels keep int32 and wrap around', () => {
    const min = -2147483648;
    const xs = [5, -7, 0, min, 2147483647, 46341];
    const runInt = (name: string) => {
      const out = run(name, [i32([2, 3], xs)]);
      expect(out.dtype).toBe('int32');
      expect(out.shape).toEqual([2, 3]);
      return values(out);
    };
    expect(runInt('Neg')).toEqual([-5, 7, 0, min, -2147483647, -46341]);
    expect(runInt('Abs')).toEqual([5, 7, 0, min, 2147483647, 46341]);
    expect(runInt('Square')).toEqual([25, 49, 0, 0, 1, Math.imul(46341, 46341)]);
    expect(runInt('Square')[5]).toBe(-2147479015); // 46341^2 = 2^31 + 4633 wraps
    expect(runInt('Sign')).toEqual([1, -1, 0, -1, 1, 1]);
    expect(runInt('Relu')).toEqual([5, 0, 0, 0, 2147483647, 46341]);
  });

  it('works on scalars and empty tensors', () => {
    const s = run('Exp', [f32([], [1])]);
    expect(s.shape).toEqual([]);
    expect(values(s)).toEqual([Math.fround(Math.E)]);
    const e = run('Abs', [i32([0, 3], [])]);
    expect(e.shape).toEqual([0, 3]);
    expect(e.data.length).toBe(0);
  });

  it('never mutates its input', () => {
    const x = f32([3], [1, -2, 3]);
    run('Neg', [x]);
    expect(values(x)).toEqual([1, -2, 3]);
  });
});

describe('Cast', () => {
  const cast = (t: CpuTensor, dtype: DType) => {
    const out = run('Cast', [t], { dtype });
    expect(out.dtype).toBe(dtype);
    expect(out.shape).toEqual(t.shape);
    return values(out);
  };
  it('float32 -> int32 truncates toward zero, NaN -> 0, clamps', () => {
    expect(cast(f32([9], [1.9, -1.9, -0.5, NaN, Infinity, -Infinity, 3e9, -3e9, 2147483520]), 'int32')).toEqual([
      1, -1, 0, 0, 2147483647, -2147483648, 2147483647, -2147483648, 2147483520,
    ]);
  });
  it('-> bool is x != 0 (NaN is true)', () => {
    expect(cast(f32([5], [0, -0, 0.1, NaN, -Infinity]), 'bool')).toEqual([0, 0, 1, 1, 1]);
    expect(cast(i32([3], [0, -5, 7]), 'bool')).toEqual([0, 1, 1]);
  });
  it('int32 -> float32 rounds to nearest; bool -> numbers', () => {
    expect(cast(i32([3], [16777217, -3, 2147483647]), 'float32')).toEqual([16777216, -3, 2147483648]);
    expect(cast(bool([2], [1, 0]), 'int32')).toEqual([1, 0]);
    expect(cast(bool([2], [1, 0]), 'float32')).toEqual([1, 0]);
  });
  it('same dtype copies', () => {
    const x = i32([2], [4, 5]);
    const out = run('Cast', [x], { dtype: 'int32' });
    expect(out.data).not.toBe(x.data);
    expect(values(out)).toEqual([4, 5]);
  });
});

describe('binary kernels: broadcasting', () => {
  it('scalar with tensor, either side', () => {
    const out = run('Sub', [f32([], [10]), f32([2, 2], [1, 2, 3, 4])]);
    expect(out.shape).toEqual([2, 2]);
    expect(values(out)).toEqual([9, 8, 7, 6]);
    expect(values(run('Sub', [f32([2, 2], [1, 2, 3, 4]), f32([], [10])]))).toEqual([-9, -8, -7, -6]);
    const ss = run('Add', [f32([], [1]), f32([], [2])]);
    expect(ss.shape).toEqual([]);
    expect(values(ss)).toEqual([3]);
  });
  it('size-1 dims on either side and rank mismatch', () => {
    // [3,1] + [1,4] -> [3,4]
    const out = run('Add', [f32([3, 1], [0, 10, 20]), f32([1, 4], [1, 2, 3, 4])]);
    expect(out.shape).toEqual([3, 4]);
    expect(values(out)).toEqual([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24]);
    // [2,1,3] * [2,1] -> [2,2,3]
    const m = run('Mul', [i32([2, 1, 3], [1, 2, 3, 4, 5, 6]), i32([2, 1], [1, -1])]);
    expect(m.shape).toEqual([2, 2, 3]);
    expect(values(m)).toEqual([1, 2, 3, -1, -2, -3, 4, 5, 6, -4, -5, -6]);
    // [3] with [2,3]
    expect(values(run('Sub', [f32([3], [1, 2, 3]), f32([2, 3], [1, 1, 1, 2, 2, 2])]))).toEqual([0, 1, 2, -1, 0, 1]);
  });
  it('empty tensors', () => {
    const e = run('Add', [f32([0, 3], []), f32([1, 3], [1, 2, 3])]);
    expect(e.shape).toEqual([0, 3]);
    expect(e.data.length).toBe(0);
    const e2 = run('Less', [f32([2, 0], []), f32([], [1])]);
    expect(e2.shape).toEqual([2, 0]);
    expect(e2.dtype).toBe('bool');
    // A dimension of 0 broadcasts against 1.
    expect(run('Mul', [f32([0], []), f32([1], [5])]).shape).toEqual([0]);
  });
  it('throws naming the incompatible shapes', () => {
    expect(() => run('Add', [f32([2, 3], [0, 0, 0, 0, 0, 0]), f32([2], [0, 0])])).toThrow(/\[2,3\] and \[2\]/);
    expect(() => run('Add', [f32([1], [0]), i32([1], [0])])).toThrow(/dtype/);
  });
});

describe('binary kernels: arithmetic', () => {
  it('float32 results are rounded once to float32', () => {
    const out = run('Add', [f32([1], [0.1]), f32([1], [0.2])]);
    expect(out.data[0]).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(values(run('Div', [f32([4], [1, 1, -1, 0]), f32([4], [3, 0, 0, 0])]))).toEqual([Math.fround(1 / 3), Infinity, -Infinity, NaN]);
    expect(values(run('Mul', [f32([2], [3e38, 0]), f32([2], [10, Infinity])]))).toEqual([Infinity, NaN]);
  });
  it('int32 Add/Sub/Mul wrap like C', () => {
    const max = 2147483647;
    const min = -2147483648;
    expect(values(run('Add', [i32([2], [max, min]), i32([2], [1, -1])]))).toEqual([min, max]);
    expect(values(run('Sub', [i32([2], [min, 0]), i32([2], [1, min])]))).toEqual([max, min]);
    expect(values(run('Mul', [i32([3], [65536, 123456789, -7]), i32([3], [65536, 987654321, 3])]))).toEqual([
      0, Math.imul(123456789, 987654321), -21,
    ]);
    expect(run('Add', [i32([1], [1]), i32([1], [2])]).dtype).toBe('int32');
  });
  it('FloorDiv floors (negatives), int32 by zero gives 0', () => {
    const a = [7, -7, 7, -7, 0, 5, -2147483648, -2147483648];
    const b = [2, 2, -2, -2, 3, 0, -1, 1];
    expect(values(run('FloorDiv', [i32([8], a), i32([8], b)]))).toEqual([3, -4, -4, 3, 0, 0, -2147483648, -2147483648]);
    expect(values(run('FloorDiv', [f32([5], [7, -7, 7.5, 1, -1]), f32([5], [2, 2, -2, 0, 0])]))).toEqual([3, -4, -4, Infinity, -Infinity]);
  });
  it('Div is float32 only', () => {
    expect(() => run('Div', [i32([1], [1]), i32([1], [1])])).toThrow(/float32/);
  });
  it('Pow, with C special cases', () => {
    expect(values(run('Pow', [f32([6], [2, 4, -8, 1, -1, 0]), f32([6], [10, 0.5, 1 / 3, NaN, Infinity, 0])]))).toEqual([
      1024, 2, NaN, 1, 1, 1,
    ]);
    expect(values(run('Pow', [f32([2], [NaN, 2]), f32([2], [0, -1])]))).toEqual([1, 0.5]);
    expect(values(run('Pow', [i32([3], [2, 3, 2]), i32([3], [10, 2, 40])]))).toEqual([1024, 9, 2147483647]);
  });
  it('Maximum/Minimum propagate NaN', () => {
    expect(values(run('Maximum', [f32([4], [1, NaN, 3, -Infinity]), f32([4], [2, 0, NaN, -5])]))).toEqual([2, NaN, NaN, -5]);
    expect(values(run('Minimum', [f32([4], [1, NaN, 3, -Infinity]), f32([4], [2, 0, NaN, -5])]))).toEqual([1, NaN, NaN, -Infinity]);
    expect(values(run('Maximum', [i32([2], [-3, 9]), i32([], [0])]))).toEqual([0, 9]);
  });
});

describe('binary kernels: comparisons', () => {
  it('give bool; NaN compares false except NotEqual', () => {
    const a = f32([4], [1, 2, NaN, -0]);
    const b = f32([4], [2, 2, NaN, 0]);
    const cmp = (name: string) => {
      const out = run(name, [a, b]);
      expect(out.dtype).toBe('bool');
      expect(out.data).toBeInstanceOf(Uint8Array);
      return values(out);
    };
    expect(cmp('Equal')).toEqual([0, 1, 0, 1]);
    expect(cmp('NotEqual')).toEqual([1, 0, 1, 0]);
    expect(cmp('Greater')).toEqual([0, 0, 0, 0]);
    expect(cmp('GreaterEqual')).toEqual([0, 1, 0, 1]);
    expect(cmp('Less')).toEqual([1, 0, 0, 0]);
    expect(cmp('LessEqual')).toEqual([1, 1, 0, 1]);
  });
  it('broadcast, on int32 and bool too', () => {
    const out = run('Greater', [i32([2, 1], [1, 5]), i32([3], [0, 1, 6])]);
    expect(out.shape).toEqual([2, 3]);
    expect(values(out)).toEqual([1, 0, 0, 1, 1, 0]);
    expect(values(run('Equal', [bool([2], [1, 0]), bool([], [1])]))).toEqual([1, 0]);
  });
});

describe('Where', () => {
  it('broadcasts cond, a and b together and keeps a dtype', () => {
    const out = run('Where', [bool([2, 1], [1, 0]), i32([3], [1, 2, 3]), i32([], [-1])]);
    expect(out.shape).toEqual([2, 3]);
    expect(out.dtype).toBe('int32');
    expect(values(out)).toEqual([1, 2, 3, -1, -1, -1]);
    const f = run('Where', [bool([3], [0, 1, 0]), f32([], [NaN]), f32([3], [4, 5, 6])]);
    expect(values(f)).toEqual([4, NaN, 6]);
    expect(run('Where', [bool([0], []), f32([1], [1]), f32([1], [2])]).shape).toEqual([0]);
  });
});

describe('MatMul', () => {
  const A = [1, 2, 3, 4, 5, 6]; // [2,3]
  const B = [7, 8, 9, 10, 11, 12]; // [3,2]
  const AB = [58, 64, 139, 154];
  const transpose = (m: number[], rows: number, cols: number) =>
    Array.from({ length: rows * cols }, (_, i) => m[(i % rows) * cols + Math.floor(i / rows)]);
  const mm = (a: CpuTensor, b: CpuTensor, transposeA = false, transposeB = false) =>
    run('MatMul', [a, b], { transposeA, transposeB });

  it('multiplies with and without transposes', () => {
    const out = mm(f32([1, 2, 3], A), f32([1, 3, 2], B));
    expect(out.shape).toEqual([1, 2, 2]);
    expect(out.dtype).toBe('float32');
    expect(values(out)).toEqual(AB);
    expect(values(mm(f32([1, 3, 2], transpose(A, 2, 3)), f32([1, 3, 2], B), true, false))).toEqual(AB);
    expect(values(mm(f32([1, 2, 3], A), f32([1, 2, 3], transpose(B, 3, 2)), false, true))).toEqual(AB);
    expect(values(mm(f32([1, 3, 2], transpose(A, 2, 3)), f32([1, 2, 3], transpose(B, 3, 2)), true, true))).toEqual(AB);
    expect(transpose(A, 2, 3)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('batches, and broadcasts a batch of 1 on either side', () => {
    const I = [1, 0, 0, 1];
    const twice = [2, 0, 0, 2];
    const batched = f32([2, 2, 2], [...I, ...twice]);
    const m = f32([1, 2, 2], [1, 2, 3, 4]);
    const left = mm(batched, m);
    expect(left.shape).toEqual([2, 2, 2]);
    expect(values(left)).toEqual([1, 2, 3, 4, 2, 4, 6, 8]);
    const right = mm(m, batched, false, true);
    expect(values(right)).toEqual([1, 2, 3, 4, 2, 4, 6, 8]);
    const both = mm(batched, f32([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]));
    expect(values(both)).toEqual([1, 2, 3, 4, 10, 12, 14, 16]);
    expect(() => mm(f32([2, 1, 1], [1, 1]), f32([3, 1, 1], [1, 1, 1]))).toThrow(/batch/);
  });

  it('accumulates in float64, rounds once, and handles empty dims', () => {
    // 1e8 + 1 - 1e8 in float64 is exactly 1; float32 accumulation would give 0.
    expect(values(mm(f32([1, 1, 3], [1, 1, 1]), f32([1, 3, 1], [1e8, 1, -1e8])))).toEqual([1]);
    const k0 = mm(f32([1, 2, 0], []), f32([1, 0, 3], []));
    expect(k0.shape).toEqual([1, 2, 3]);
    expect(values(k0)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(mm(f32([0, 2, 2], []), f32([1, 2, 2], [1, 2, 3, 4])).shape).toEqual([0, 2, 2]);
    expect(values(mm(f32([1, 1, 2], [0, 1]), f32([1, 2, 1], [Infinity, 1])))).toEqual([NaN]);
  });
});

describe('reductions', () => {
  const x = f32([2, 3, 2], [1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6]);
  const reduce = (name: string, t: CpuTensor) => run(name, [t]);

  it('reduce the middle axis of [outer, reduce, inner]', () => {
    const sum = reduce('Sum', x);
    expect(sum.shape).toEqual([2, 2]);
    expect(values(sum)).toEqual([9, 12, -9, -12]);
    expect(values(reduce('Prod', x))).toEqual([15, 48, -15, -48]);
    expect(values(reduce('Max', x))).toEqual([5, 6, -1, -2]);
    expect(values(reduce('Min', x))).toEqual([1, 2, -5, -6]);
    const am = reduce('ArgMax', x);
    expect(am.dtype).toBe('int32');
    expect(values(am)).toEqual([2, 2, 0, 0]);
    expect(values(reduce('ArgMin', x))).toEqual([0, 0, 2, 2]);
    const lse = reduce('LogSumExp', x);
    expect(lse.dtype).toBe('float32');
    expect(values(lse)).toEqual(fr([
      Math.log(Math.exp(1) + Math.exp(3) + Math.exp(5)), Math.log(Math.exp(2) + Math.exp(4) + Math.exp(6)),
      Math.log(Math.exp(-1) + Math.exp(-3) + Math.exp(-5)), Math.log(Math.exp(-2) + Math.exp(-4) + Math.exp(-6)),
    ]));
  });

  it('empty reduce gives the identities', () => {
    const e = f32([2, 0, 1], []);
    expect(values(reduce('Sum', e))).toEqual([0, 0]);
    expect(values(reduce('Prod', e))).toEqual([1, 1]);
    expect(values(reduce('Max', e))).toEqual([-Infinity, -Infinity]);
    expect(values(reduce('Min', e))).toEqual([Infinity, Infinity]);
    expect(values(reduce('LogSumExp', e))).toEqual([-Infinity, -Infinity]);
    const ei = i32([1, 0, 1], []);
    expect(values(reduce('Max', ei))).toEqual([-2147483648]);
    expect(values(reduce('Min', ei))).toEqual([2147483647]);
    expect(reduce('Sum', f32([0, 4, 3], [])).shape).toEqual([0, 3]);
  });

  it('int32 keeps int32 and wraps', () => {
    const t = i32([1, 3, 1], [2147483647, 1, 5]);
    const s = reduce('Sum', t);
    expect(s.dtype).toBe('int32');
    expect(values(s)).toEqual([-2147483643]);
    expect(values(reduce('Prod', i32([1, 2, 1], [65536, 65536])))).toEqual([0]);
    expect(values(reduce('Max', t))).toEqual([2147483647]);
    expect(values(reduce('ArgMin', t))).toEqual([1]);
  });

  it('NaN propagates; Arg* pick the first extreme, NaN counting as the extreme', () => {
    const t = f32([1, 5, 1], [1, 7, NaN, 7, NaN]);
    expect(values(reduce('Max', t))).toEqual([NaN]);
    expect(values(reduce('Min', t))).toEqual([NaN]);
    expect(values(reduce('Sum', t))).toEqual([NaN]);
    expect(values(reduce('LogSumExp', t))).toEqual([NaN]);
    expect(values(reduce('ArgMax', t))).toEqual([2]);
    expect(values(reduce('ArgMin', t))).toEqual([2]);
    const ties = f32([1, 4, 1], [3, 9, 9, 3]);
    expect(values(reduce('ArgMax', ties))).toEqual([1]);
    expect(values(reduce('ArgMin', ties))).toEqual([0]);
    expect(values(reduce('ArgMax', f32([1, 2, 1], [-Infinity, -Infinity])))).toEqual([0]);
  });

  it('LogSumExp is stable and handles infinities', () => {
    expect(values(reduce('LogSumExp', f32([1, 2, 1], [1e4, 1e4])))).toEqual(fr([1e4 + Math.LN2]));
    expect(values(reduce('LogSumExp', f32([1, 2, 1], [-1e4, -1e4])))).toEqual(fr([-1e4 + Math.LN2]));
    expect(values(reduce('LogSumExp', f32([1, 2, 1], [Infinity, 1])))).toEqual([Infinity]);
    expect(values(reduce('LogSumExp', f32([1, 2, 1], [-Infinity, -Infinity])))).toEqual([-Infinity]);
    expect(values(reduce('LogSumExp', f32([1, 2, 1], [-Infinity, 3])))).toEqual([3]);
  });
});

describe('Softmax and LogSoftmax', () => {
  it('normalise rows, stably at 1e4 magnitudes', () => {
    const x = f32([3, 2], [1e4, 1e4, -1e4, -1e4 + Math.log(3), 0, Math.log(3)]);
    const s = run('Softmax', [x]);
    expect(s.shape).toEqual([3, 2]);
    const got = values(s);
    expect(got.slice(0, 2)).toEqual([0.5, 0.5]);
    for (const [i, want] of [0.5, 0.5, 0.25, 0.75, 0.25, 0.75].entries()) expect(got[i]).toBeCloseTo(want, 3);
    const ls = values(run('LogSoftmax', [x]));
    expect(ls[0]).toBe(Math.fround(-Math.LN2));
    expect(ls[1]).toBe(Math.fround(-Math.LN2));
    expect(ls[4]).toBeCloseTo(Math.log(0.25), 6);
    expect(ls[5]).toBeCloseTo(Math.log(0.75), 6);
  });
  it('matches the closed form and handles -Infinity, NaN and empty rows', () => {
    const s = values(run('Softmax', [f32([1, 3], [1, 2, 3])]));
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(s).toEqual(fr([Math.exp(1 - 3) / (z / Math.exp(3)), Math.exp(2 - 3) / (z / Math.exp(3)), 1 / (z / Math.exp(3))]));
    expect(values(run('Softmax', [f32([1, 3], [-Infinity, 0, -Infinity])]))).toEqual([0, 1, 0]);
    expect(values(run('LogSoftmax', [f32([1, 2], [-Infinity, 0])]))).toEqual([-Infinity, 0]);
    expect(values(run('Softmax', [f32([1, 2], [NaN, 0])]))).toEqual([NaN, NaN]);
    expect(run('Softmax', [f32([2, 0], [])]).shape).toEqual([2, 0]);
    expect(run('LogSoftmax', [f32([0, 3], [])]).data.length).toBe(0);
  });
});

describe('copy kernels', () => {
  const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('Transpose with odd shapes, any dtype', () => {
    const x = i32([2, 3, 4], iota(24));
    const out = run('Transpose', [x], { perm: [2, 0, 1] });
    expect(out.shape).toEqual([4, 2, 3]);
    expect(out.dtype).toBe('int32');
    // out[k, i, j] = x[i, j, k] = 12 i + 4 j + k
    expect(values(out)).toEqual(iota(24).map((f) => {
      const [k, i, j] = [Math.floor(f / 6), Math.floor(f / 3) % 2, f % 3];
      return 12 * i + 4 * j + k;
    }));
    expect(values(run('Transpose', [bool([2, 1], [1, 0])], { perm: [1, 0] }))).toEqual([1, 0]);
    expect(run('Transpose', [f32([], [5])], { perm: [] }).shape).toEqual([]);
    expect(run('Transpose', [f32([3, 0], [])], { perm: [1, 0] }).shape).toEqual([0, 3]);
  });

  it('Slice', () => {
    const x = f32([3, 4], iota(12));
    const out = run('Slice', [x], { begin: [1, 1], size: [2, 2] });
    expect(out.shape).toEqual([2, 2]);
    expect(values(out)).toEqual([5, 6, 9, 10]);
    expect(values(run('Slice', [i32([2, 1, 3], iota(6))], { begin: [1, 0, 2], size: [1, 1, 1] }))).toEqual([5]);
    expect(run('Slice', [x], { begin: [3, 0], size: [0, 4] }).shape).toEqual([0, 4]);
    expect(values(run('Slice', [f32([], [7])], { begin: [], size: [] }))).toEqual([7]);
  });

  it('Concat along each axis, including empty parts', () => {
    const a = i32([2, 2], [1, 2, 3, 4]);
    const b = i32([2, 1], [5, 6]);
    const c = i32([2, 0], []);
    const out = run('Concat', [a, b, c], { axis: 1 });
    expect(out.shape).toEqual([2, 3]);
    expect(values(out)).toEqual([1, 2, 5, 3, 4, 6]);
    const rows = run('Concat', [a, i32([1, 2], [7, 8])], { axis: 0 });
    expect(rows.shape).toEqual([3, 2]);
    expect(values(rows)).toEqual([1, 2, 3, 4, 7, 8]);
    expect(values(run('Concat', [bool([1], [1])], { axis: 0 }))).toEqual([1]);
  });

  it('Gather along an axis, with multi-dimensional indices', () => {
    const x = f32([3, 2], [1, 2, 3, 4, 5, 6]);
    const rows = run('Gather', [x, i32([2, 2], [2, 0, 1, 1])], { axis: 0 });
    expect(rows.shape).toEqual([2, 2, 2]);
    expect(values(rows)).toEqual([5, 6, 1, 2, 3, 4, 3, 4]);
    const cols = run('Gather', [x, i32([3], [1, 1, 0])], { axis: 1 });
    expect(cols.shape).toEqual([3, 3]);
    expect(values(cols)).toEqual([2, 2, 1, 4, 4, 3, 6, 6, 5]);
    const scalar = run('Gather', [x, i32([], [1])], { axis: 0 });
    expect(scalar.shape).toEqual([2]);
    expect(values(scalar)).toEqual([3, 4]);
    expect(run('Gather', [x, i32([0], [])], { axis: 1 }).shape).toEqual([3, 0]);
  });

  it('Gather names an out-of-range index, its position and the allowed range', () => {
    const x = f32([3, 2], [1, 2, 3, 4, 5, 6]);
    expect(() => run('Gather', [x, i32([2, 2], [0, 1, 2, 3])], { axis: 0 })).toThrow(
      /index 3 at position \[1, 1\].*axis 0.*allowed: 0 to 2/,
    );
    expect(() => run('Gather', [x, i32([1], [-1])], { axis: 1 })).toThrow(/index -1 at position \[0\].*allowed: 0 to 1/);
  });

  it('Pad with a constant value', () => {
    const out = run('Pad', [i32([2, 2], [1, 2, 3, 4])], { paddings: [[1, 0], [0, 2]], value: 9 });
    expect(out.shape).toEqual([3, 4]);
    expect(values(out)).toEqual([9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9]);
    expect(values(run('Pad', [f32([1], [5])], { paddings: [[2, 1]], value: -0.5 }))).toEqual([-0.5, -0.5, 5, -0.5]);
    expect(values(run('Pad', [f32([0], [])], { paddings: [[1, 1]], value: 0 }))).toEqual([0, 0]);
    expect(values(run('Pad', [bool([1], [0])], { paddings: [[0, 1]], value: 1 }))).toEqual([0, 1]);
    expect(values(run('Pad', [f32([], [3])], { paddings: [], value: 0 }))).toEqual([3]);
  });

  it('Tile', () => {
    const out = run('Tile', [i32([2, 2], [1, 2, 3, 4])], { reps: [2, 3] });
    expect(out.shape).toEqual([4, 6]);
    expect(values(out)).toEqual([
      1, 2, 1, 2, 1, 2,
      3, 4, 3, 4, 3, 4,
      1, 2, 1, 2, 1, 2,
      3, 4, 3, 4, 3, 4,
    ]);
    expect(values(run('Tile', [f32([3], [1, 2, 3])], { reps: [2] }))).toEqual([1, 2, 3, 1, 2, 3]);
    expect(run('Tile', [f32([3], [1, 2, 3])], { reps: [0] }).shape).toEqual([0]);
    expect(values(run('Tile', [bool([1, 2], [1, 0])], { reps: [2, 1] }))).toEqual([1, 0, 1, 0]);
  });

  it('OneHot; out-of-range rows are all 0', () => {
    const out = run('OneHot', [i32([2, 2], [0, 2, 3, -1])], { depth: 3 });
    expect(out.shape).toEqual([2, 2, 3]);
    expect(out.dtype).toBe('int32');
    expect(values(out)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(run('OneHot', [i32([], [1])], { depth: 2 }).shape).toEqual([2]);
  });
});
