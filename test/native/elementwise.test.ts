/**
 * Native elementwise kernels (unary, binary with broadcasting, cast) against straightforward
 * float64 JS references, on every ISA path this CPU has: odd lengths (vector tails), special
 * values, in-place use, int32 / uint8 paths, every broadcasting shape class (same shape,
 * scalars, trailing rows, columns, size-1 dims on either side, rank mismatch, empty, rank 5+
 * general path), large inputs (thread pool), and argument validation.
 */
import { describe, expect, it } from 'vitest';
import { addon, ISAS, restoreIsaAfterAll, rng } from './addon_helpers.js';
import type { Isa } from '../../src/backend/native/addon.js';

restoreIsaAfterAll();

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, 6, 7, 1e-30, -1e-30, 1e-40, 1e30, -1e30, 88, -88, 100, -100,
  Infinity, -Infinity, NaN];
function floats(n: number, seed: number, lo: number, hi: number, special = true): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = special && i % 7 === 3 ? SPECIAL[(i * 5) % SPECIAL.length] : lo + (hi - lo) * r();
  return x;
}
const INT_SPECIAL = [0, 1, -1, 2, -2, 7, -7, 2147483647, -2147483648, 65536, -65536, 46341];
function ints(n: number, seed: number, lo: number, hi: number): Int32Array {
  const r = rng(seed);
  const x = new Int32Array(n);
  for (let i = 0; i < n; i++) x[i] = i % 5 === 2 ? INT_SPECIAL[(i * 3) % INT_SPECIAL.length] : Math.floor(lo + (hi - lo + 1) * r());
  return x;
}

const f32 = new Float32Array(1);
const i32v = new Int32Array(f32.buffer);
function ordered(v: number): number {
  f32[0] = v;
  return i32v[0] < 0 ? -2147483648 - i32v[0] : i32v[0];
}
function ulps(got: number, ref: number): number {
  const r = Math.fround(ref);
  if (Number.isNaN(r) || Number.isNaN(got)) return Number.isNaN(r) && Number.isNaN(got) ? 0 : Infinity;
  if (r === got) return 0;
  return Math.abs(ordered(got) - ordered(r));
}
/** Every element within maxUlp of ref (0: identical, including the sign of zero). */
function expectUlps(got: ArrayLike<number>, ref: ArrayLike<number>, maxUlp: number, what: string, input?: ArrayLike<number>) {
  expect(got.length).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const ok = maxUlp === 0 ? Object.is(got[i], Math.fround(ref[i])) : ulps(got[i], ref[i]) <= maxUlp;
    if (!ok) {
      expect.fail(`${what}: element ${i}${input ? ` (x = ${input[i]})` : ''}: got ${got[i]}, want ${Math.fround(ref[i])}`);
    }
  }
}

const fr = Math.fround;
function roundHalfEven(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.floor(v);
  const d = v - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? (v < 0 || Object.is(v, -0) ? -0 : 0) : r;
}
const ALPHA = 0.2;
const CLIP: [number, number] = [-0.5, 0.25];
const SELU_A = 1.6732632423543772848170429916717;
const SELU_S = 1.0507009873554804934193349852946;
// [name, reference, max ulp (0 = bit exact), input range]
const FLOAT_UNARY: [string, (x: number) => number, number, [number, number]][] = [
  ['Exp', Math.exp, 4, [-100, 90]],
  ['Log', Math.log, 4, [0, 1e6]],
  ['Log1p', Math.log1p, 8, [-1, 10]],
  ['Sqrt', Math.sqrt, 0, [-1, 100]],
  ['Rsqrt', (x) => 1 / fr(Math.sqrt(x)), 0, [-1, 100]],
  ['Reciprocal', (x) => 1 / x, 0, [-10, 10]],
  ['Floor', Math.floor, 0, [-10, 10]],
  ['Round', roundHalfEven, 0, [-10, 10]],
  ['Relu6', (x) => Math.min(Math.max(x, 0), 6), 0, [-3, 9]],
  ['LeakyRelu', (x) => (x < 0 ? fr(ALPHA) * x : x), 0, [-3, 3]],
  ['Elu', (x) => (x > 0 ? x : Math.expm1(x)), 8, [-5, 5]],
  ['Selu', (x) => SELU_S * (x > 0 ? x : SELU_A * Math.expm1(x)), 8, [-5, 5]],
  ['Sigmoid', (x) => 1 / (1 + Math.exp(-x)), 4, [-30, 30]],
  ['Tanh', Math.tanh, 4, [-10, 10]],
  ['Softplus', (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), 8, [-30, 30]],
  ['ClipByValue', (x) => Math.min(Math.max(x, fr(CLIP[0])), fr(CLIP[1])), 0, [-2, 2]],
  ['Neg', (x) => -x, 0, [-5, 5]],
  ['Abs', Math.abs, 0, [-5, 5]],
  ['Square', (x) => x * x, 0, [-10, 10]],
  ['Sign', Math.sign, 0, [-3, 3]],
  ['Relu', (x) => Math.max(x, 0), 0, [-3, 3]],
];
function paramsOf(name: string): [number, number] {
  return name === 'LeakyRelu' ? [ALPHA, 0] : name === 'ClipByValue' ? CLIP : [0, 0];
}

describe.each(ISAS)('unary on %s', (isa) => {
  it.each(FLOAT_UNARY)('%s (float32) matches the float64 reference on odd lengths and special values', (name, ref, maxUlp, [lo, hi]) => {
    addon.setIsa(isa);
    for (const n of [1, 7, 15, 16, 17, 33, 1037]) {
      const x = floats(n, n * 31 + name.length, lo, hi);
      const out = new Float32Array(n);
      addon.unary(name, x, out, n, ...paramsOf(name));
      expectUlps(out, Array.from(x, ref), maxUlp, `${name} n=${n}`, x);
    }
  });

  it('Gelu and Sin / Cos on ordinary inputs (deep sweep in ulp.test.ts)', () => {
    addon.setIsa(isa);
    const x = floats(1001, 5, -8, 8, false);
    const out = new Float32Array(x.length);
    addon.unary('Sin', x, out, x.length, 0, 0);
    for (let i = 0; i < x.length; i++) expect(Math.abs(out[i] - Math.sin(x[i]))).toBeLessThan(2e-7);
    addon.unary('Cos', x, out, x.length, 0, 0);
    for (let i = 0; i < x.length; i++) expect(Math.abs(out[i] - Math.cos(x[i]))).toBeLessThan(2e-7);
    addon.unary('Gelu', Float32Array.from([0, 1, -1, 3, -3]), out, 5, 0, 0);
    // x * Phi(x), Phi from tabulated values.
    expectUlps(out.subarray(0, 5), [0, 0.8413447460685429, -0.15865525393145707, 3 * (1 - 0.0013498980316301), -3 * 0.0013498980316301], 16, 'Gelu');
  });

  it('works in place (out === x), including the vector tail', () => {
    addon.setIsa(isa);
    const x = floats(37, 9, -3, 3);
    const want = Array.from(x, Math.exp);
    addon.unary('Exp', x, x, x.length, 0, 0);
    expectUlps(x, want, 4, 'in-place Exp');
  });

  it('only touches the first n elements', () => {
    addon.setIsa(isa);
    const x = new Float32Array(40).fill(2);
    const out = new Float32Array(40).fill(-7);
    addon.unary('Square', x, out, 21, 0, 0);
    expect(Array.from(out.subarray(0, 21))).toEqual(new Array(21).fill(4));
    expect(Array.from(out.subarray(21))).toEqual(new Array(19).fill(-7));
  });

  it('int32 Neg, Abs, Square, Sign, Relu wrap like Int32Array', () => {
    addon.setIsa(isa);
    const x = ints(1037, 3, -50000, 50000);
    const refs: [string, (v: number) => number][] = [
      ['Neg', (v) => -v | 0], ['Abs', (v) => Math.abs(v) | 0], ['Square', (v) => Math.imul(v, v)],
      ['Sign', Math.sign], ['Relu', (v) => Math.max(v, 0)],
    ];
    for (const [name, ref] of refs) {
      const out = new Int32Array(x.length);
      addon.unary(name, x, out, x.length, 0, 0);
      expect(Array.from(out), name).toEqual(Array.from(x, ref));
    }
  });
});

describe('unary on large arrays (thread pool)', () => {
  it('Exp and Relu of 1M floats match a single-threaded reference', () => {
    const n = 1 << 20;
    const x = floats(n, 77, -20, 20, false);
    const out = new Float32Array(n);
    addon.unary('Exp', x, out, n, 0, 0);
    for (let i = 0; i < n; i += 997) expect(ulps(out[i], Math.exp(x[i]))).toBeLessThanOrEqual(4);
    expect(ulps(out[n - 1], Math.exp(x[n - 1]))).toBeLessThanOrEqual(4);
    addon.unary('Relu', x, out, n, 0, 0);
    for (let i = 0; i < n; i++) if (out[i] !== Math.max(x[i], 0)) expect.fail(`Relu at ${i}`);
  });
});

// ---------------------------------------------------------------- binary
type Typed = Float32Array | Int32Array | Uint8Array;
const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

/** Plain NumPy broadcasting reference. */
function broadcastRef(a: Typed, aShape: number[], b: Typed, bShape: number[], f: (x: number, y: number) => number): { shape: number[]; values: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pa = [...new Array(rank - aShape.length).fill(1), ...aShape];
  const pb = [...new Array(rank - bShape.length).fill(1), ...bShape];
  const shape = pa.map((d, i) => (d === 1 ? pb[i] : d));
  const values: number[] = [];
  const idx = new Array(rank).fill(0);
  const total = size(shape);
  for (let t = 0; t < total; t++) {
    let ia = 0;
    let ib = 0;
    for (let k = 0; k < rank; k++) {
      ia = ia * pa[k] + (pa[k] === 1 ? 0 : idx[k]);
      ib = ib * pb[k] + (pb[k] === 1 ? 0 : idx[k]);
    }
    values.push(f(a[ia], b[ib]));
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return { shape, values };
}

const FLOAT_BINARY: [string, (a: number, b: number) => number, number][] = [
  ['Add', (a, b) => a + b, 0],
  ['Sub', (a, b) => a - b, 0],
  ['Mul', (a, b) => a * b, 0],
  ['Div', (a, b) => a / b, 0],
  ['FloorDiv', (a, b) => Math.floor(fr(a / b)), 0],
  ['Pow', (a, b) => a ** b, 1],
  ['Maximum', Math.max, 0],
  ['Minimum', Math.min, 0],
];
const INT_BINARY: [string, (a: number, b: number) => number][] = [
  ['Add', (a, b) => (a + b) | 0],
  ['Sub', (a, b) => (a - b) | 0],
  ['Mul', Math.imul],
  ['FloorDiv', (a, b) => (b === 0 ? 0 : Math.floor(a / b) | 0)],
  ['Maximum', Math.max],
  ['Minimum', Math.min],
];
const COMPARISONS: [string, (a: number, b: number) => number][] = [
  ['Equal', (a, b) => +(a === b)],
  ['NotEqual', (a, b) => +(a !== b)],
  ['Greater', (a, b) => +(a > b)],
  ['GreaterEqual', (a, b) => +(a >= b)],
  ['Less', (a, b) => +(a < b)],
  ['LessEqual', (a, b) => +(a <= b)],
];

// [aShape, bShape]: each broadcasting class.
const SHAPES: [string, number[], number[]][] = [
  ['same shape', [3, 37], [3, 37]],
  ['same shape, long', [1037], [1037]],
  ['scalar b (rank 0)', [5, 19], []],
  ['scalar a ([1])', [1], [4, 21]],
  ['trailing row', [7, 33], [33]],
  ['column', [9, 17], [9, 1]],
  ['column on a', [9, 1], [9, 17]],
  ['size-1 dims on both sides', [3, 1, 5], [1, 4, 1]],
  ['rank mismatch', [2, 3, 19], [3, 1]],
  ['outer product', [23, 1], [1, 29]],
  ['rank 6 general', [2, 1, 3, 1, 2, 5], [1, 4, 3, 2, 1, 5]],
  ['rank 12', [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 3], [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 3]],
  ['empty', [0, 3], [3]],
  ['empty broadcast', [4, 0], [4, 1]],
  ['both scalars', [], [1]],
];

describe.each(ISAS)('binary on %s', (isa) => {
  it.each(SHAPES)('float32 arithmetic, %s', (_, aShape, bShape) => {
    addon.setIsa(isa);
    const a = floats(size(aShape), 11, -4, 4);
    const b = floats(size(bShape), 12, -4, 4);
    for (const [name, f, maxUlp] of FLOAT_BINARY) {
      const ref = broadcastRef(a, aShape, b, bShape, f);
      const out = new Float32Array(size(ref.shape));
      addon.binary(name, a, aShape, b, bShape, out, ref.shape);
      expectUlps(out, ref.values, maxUlp, `${name} ${JSON.stringify(aShape)} ${JSON.stringify(bShape)}`);
    }
  });

  it.each(SHAPES)('int32 arithmetic and all comparisons, %s', (_, aShape, bShape) => {
    addon.setIsa(isa);
    const a = ints(size(aShape), 21, -100, 100);
    const b = ints(size(bShape), 22, -9, 9);
    for (const [name, f] of INT_BINARY) {
      const ref = broadcastRef(a, aShape, b, bShape, f);
      const out = new Int32Array(size(ref.shape));
      addon.binary(name, a, aShape, b, bShape, out, ref.shape);
      expect(Array.from(out), name).toEqual(ref.values);
    }
    const fa = floats(size(aShape), 23, -2, 2);
    const fb = floats(size(bShape), 24, -2, 2);
    for (let i = 0; i < fb.length; i += 3) fb[i] = fa[i % Math.max(fa.length, 1)] ?? 0; // some equal pairs
    const ua = Uint8Array.from(a, (v) => v & 3);
    const ub = Uint8Array.from(b, (v) => v & 3);
    for (const [name, f] of COMPARISONS) {
      for (const [x, y] of [[fa, fb], [a, b], [ua, ub]] as [Typed, Typed][]) {
        const ref = broadcastRef(x, aShape, y, bShape, f);
        const out = new Uint8Array(size(ref.shape));
        addon.binary(name, x, aShape, y, bShape, out, ref.shape);
        expect(Array.from(out), `${name} ${x.constructor.name}`).toEqual(ref.values);
      }
    }
  });

  it('float32 special values: NaN, infinities, signed zeros (Math.max semantics, JS **)', () => {
    addon.setIsa(isa);
    const vals = [0, -0, 1, -1, 2, -2.5, Infinity, -Infinity, NaN, 1e-40, 3.5];
    const a = Float32Array.from(vals.flatMap((x) => vals.map(() => x)));
    const b = Float32Array.from(vals.flatMap(() => vals));
    const n = a.length;
    for (const [name, f, maxUlp] of FLOAT_BINARY) {
      const out = new Float32Array(n);
      addon.binary(name, a, [n], b, [n], out, [n]);
      expectUlps(out, Array.from(a, (x, i) => f(x, b[i])), maxUlp, name);
    }
    for (const [name, f] of COMPARISONS) {
      const out = new Uint8Array(n);
      addon.binary(name, a, [n], b, [n], out, [n]);
      expect(Array.from(out), name).toEqual(Array.from(a, (x, i) => f(x, b[i])));
    }
  });

  it('int32 edge cases: FloorDiv by 0 and negatives, overflow wraps, Pow', () => {
    addon.setIsa(isa);
    const a = Int32Array.from([7, -7, 7, -7, 0, 5, -2147483648, -2147483648, 2147483647, 3, -3, 2, 1, -1, -1, 0]);
    const b = Int32Array.from([2, 2, -2, -2, 3, 0, -1, 1, 1, 4, 3, 31, -5, -3, -4, 0]);
    const n = a.length;
    const run = (name: string) => {
      const out = new Int32Array(n);
      addon.binary(name, a, [n], b, [n], out, [n]);
      return Array.from(out);
    };
    expect(run('FloorDiv')).toEqual([3, -4, -4, 3, 0, 0, -2147483648, -2147483648, 2147483647, 0, -1, 0, -1, 0, 0, 0]);
    expect(run('Add')).toEqual(Array.from(a, (x, i) => (x + b[i]) | 0));
    expect(run('Mul')).toEqual(Array.from(a, (x, i) => Math.imul(x, b[i])));
    // Pow: the exact power modulo 2^32; negative exponents truncate (1, +-1, else 0).
    const ref = Array.from(a, (x, i) => (b[i] < 0 ? (x === 1 ? 1 : x === -1 ? (b[i] % 2 ? -1 : 1) : 0)
      : Number(BigInt.asIntN(32, BigInt(x) ** BigInt(b[i])))));
    expect(run('Pow')).toEqual(ref);
  });

  it('works in place (out === a) and with a large broadcast (thread pool)', () => {
    addon.setIsa(isa);
    const a = floats(1000 * 333, 31, -1, 1, false);
    const b = floats(333, 32, -1, 1, false);
    const ref = broadcastRef(a, [1000, 333], b, [333], (x, y) => x + y);
    addon.binary('Add', a, [1000, 333], b, [333], a, [1000, 333]);
    expectUlps(a, ref.values, 0, 'in-place Add');
    const c = floats(300000, 33, -1, 1, false);
    const col = floats(3, 34, -1, 1, false);
    const ref2 = broadcastRef(c, [3, 100000], col, [3, 1], (x, y) => x * y);
    const out = new Float32Array(300000);
    addon.binary('Mul', c, [3, 100000], col, [3, 1], out, [3, 100000]);
    expectUlps(out, ref2.values, 0, 'column Mul');
  });
});

// ---------------------------------------------------------------- cast
describe.each(ISAS)('cast on %s', (isa) => {
  const F = [0, -0, 1.9, -1.9, 2.5, -2.5, 255, 256, 1e10, -1e10, 2147483520, 2147483648, -2147483648, -2147483904, Infinity, -Infinity, NaN, 1e-40];
  const I = [0, 1, -1, 255, 256, -256, 2147483647, -2147483648, 16777217];
  const U = [0, 1, 2, 255];
  const toInt = (v: number) => (Number.isNaN(v) ? 0 : Math.max(-2147483648, Math.min(2147483647, Math.trunc(v))));
  const cases: [string, Typed, () => Typed, (v: number) => number][] = [
    ['f32->f32', Float32Array.from(F), () => new Float32Array(F.length), (v) => v],
    ['f32->i32', Float32Array.from(F), () => new Int32Array(F.length), toInt],
    ['f32->u8', Float32Array.from(F), () => new Uint8Array(F.length), (v) => +(v !== 0)],
    ['i32->f32', Int32Array.from(I), () => new Float32Array(I.length), fr],
    ['i32->i32', Int32Array.from(I), () => new Int32Array(I.length), (v) => v],
    ['i32->u8', Int32Array.from(I), () => new Uint8Array(I.length), (v) => +(v !== 0)],
    ['u8->f32', Uint8Array.from(U), () => new Float32Array(U.length), (v) => v],
    ['u8->i32', Uint8Array.from(U), () => new Int32Array(U.length), (v) => v],
    ['u8->u8', Uint8Array.from(U), () => new Uint8Array(U.length), (v) => +(v !== 0)],
  ];
  it.each(cases)('%s', (_, x, make, ref) => {
    addon.setIsa(isa);
    // Repeat to cover the vector body and its tail.
    const n = x.length * 5 + 3;
    const big = new (x.constructor as new (n: number) => Typed)(n);
    for (let i = 0; i < n; i++) big[i] = x[i % x.length];
    const out = new (make().constructor as new (n: number) => Typed)(n);
    addon.cast(big, out, n);
    const want = Array.from(big, (v) => (out instanceof Float32Array ? Math.fround(ref(v)) : ref(v) + 0));
    for (let i = 0; i < n; i++) {
      if (!Object.is(out[i], want[i])) expect.fail(`${_} element ${i} (${big[i]}): got ${out[i]}, want ${want[i]}`);
    }
  });
});

// ---------------------------------------------------------------- validation
describe('argument validation', () => {
  const x = new Float32Array(8);
  const o = new Float32Array(8);
  it('unary', () => {
    expect(() => addon.unary('Exp', x, o, 8, 0)).toThrow(/unary: expected 6 arguments, got 5/);
    expect(() => addon.unary('Nope', x, o, 8, 0, 0)).toThrow(RangeError);
    expect(() => addon.unary('Nope', x, o, 8, 0, 0)).toThrow(/'Nope' is not a unary op; expected one of Exp, Log, .*Relu$/);
    expect(() => addon.unary(3 as unknown as string, x, o, 8, 0, 0)).toThrow(/op\) must be a string/);
    // Names are matched whole: not a prefix, not past an embedded NUL, not a long string cut short.
    expect(() => addon.unary('Ex', x, o, 8, 0, 0)).toThrow(/'Ex' is not a unary op/);
    expect(() => addon.unary('Exp\u0000', x, o, 8, 0, 0)).toThrow(/is not a unary op/);
    expect(() => addon.unary('Exp'.padEnd(40, 'x'), x, o, 8, 0, 0)).toThrow(new RegExp(`'Exp${'x'.repeat(37)}' is not a unary op`));
    expect(() => addon.unary('', x, o, 8, 0, 0)).toThrow(/'' is not a unary op/);
    expect(() => addon.unary('Exp', x, o, 9, 0, 0)).toThrow(/x\) is too short: needs 9 elements, has 8/);
    expect(() => addon.unary('Exp', x, new Float32Array(4), 8, 0, 0)).toThrow(/out\) is too short/);
    expect(() => addon.unary('Exp', x, o, -1, 0, 0)).toThrow(/n\) must be in \[0/);
    expect(() => addon.unary('Exp', x, o, 1.5, 0, 0)).toThrow(/n\) must be an integer/);
    expect(() => addon.unary('Exp', x, o, Number.NaN, 0, 0)).toThrow(/n\) must be an integer/);
    expect(() => addon.unary('Exp', x, o, 2 ** 53, 0, 0)).toThrow(/n\) must be in \[0, 9007199254740991\], got 9007199254740992/);
    expect(() => addon.unary('Exp', x, o, '8' as unknown as number, 0, 0)).toThrow(/n\) must be a number, got a string/);
    expect(() => addon.unary('Exp', new Int32Array(8), new Int32Array(8), 8, 0, 0)).toThrow(/must be a Float32Array for Exp, got Int32Array/);
    expect(() => addon.unary('Neg', new Uint8Array(8), new Uint8Array(8), 8, 0, 0)).toThrow(/Float32Array or an Int32Array for Neg/);
    expect(() => addon.unary('Neg', x, new Int32Array(8), 8, 0, 0)).toThrow(/out\) must be a Float32Array like x/);
    expect(() => addon.unary('Exp', [1, 2] as unknown as Float32Array, o, 2, 0, 0)).toThrow(TypeError);
    expect(() => addon.unary('Exp', new Float64Array(8) as unknown as Float32Array, o, 8, 0, 0)).toThrow(/got Float64Array/);
    expect(() => addon.unary('LeakyRelu', x, o, 8, 'a' as unknown as number, 0)).toThrow(/alpha\) must be a number/);
  });
  it('binary', () => {
    expect(() => addon.binary('Add', x, [2, 4], x, [4, 2], o, [2, 4])).toThrow(/shapes \[2,4\] \(aShape\) and \[4,2\] \(bShape\) cannot be broadcast/);
    expect(() => addon.binary('Add', x, [2, 4], x, [4], o, [8])).toThrow(/outShape\) must be \[2,4\], the broadcast of aShape \[2,4\] and bShape \[4\], got \[8\]/);
    expect(() => addon.binary('Add', x, [3, 4], x, [4], new Float32Array(12), [3, 4])).toThrow(/a\) is too short: needs 12/);
    expect(() => addon.binary('Add', x, [8], x, [8], new Float32Array(7), [8])).toThrow(/out\) is too short/);
    expect(() => addon.binary('Add', x, [8], new Int32Array(8), [8], o, [8])).toThrow(/b\) must have a's element type \(Float32Array\), got Int32Array/);
    expect(() => addon.binary('Div', new Int32Array(8), [8], new Int32Array(8), [8], new Int32Array(8), [8])).toThrow(/Float32Array for Div/);
    expect(() => addon.binary('Add', new Uint8Array(8), [8], new Uint8Array(8), [8], new Uint8Array(8), [8])).toThrow(/for Add, got Uint8Array/);
    expect(() => addon.binary('Less', x, [8], x, [8], o, [8])).toThrow(/out\) must be a Uint8Array for Less/);
    expect(() => addon.binary('Add', x, [8], x, [8], new Int32Array(8), [8])).toThrow(/out\) must be a Float32Array for Add/);
    expect(() => addon.binary('Nope', x, [8], x, [8], o, [8])).toThrow(/expected one of Add, Sub, .*LessEqual/);
    expect(() => addon.binary('Add', x, [-1], x, [8], o, [8])).toThrow(/aShape\) has an invalid dimension/);
    expect(() => addon.binary('Add', x, [2.5], x, [8], o, [8])).toThrow(RangeError);
    expect(() => addon.binary('Add', x, new Array(13).fill(1), x, [1], o, new Array(13).fill(1))).toThrow(/rank 13, above the maximum 12/);
    expect(() => addon.binary('Add', x, 8 as unknown as number[], x, [8], o, [8])).toThrow(/aShape\) must be an array/);
    expect(() => addon.binary('Add', x, [8], x, [8], o)).toThrow(/expected 7 arguments/);
  });
  it('cast', () => {
    expect(() => addon.cast(x, o)).toThrow(/cast: expected 3 arguments/);
    expect(() => addon.cast(x, new Int32Array(4), 8)).toThrow(/out\) is too short/);
    expect(() => addon.cast(x, new Uint16Array(8) as unknown as Uint8Array, 8)).toThrow(/got Uint16Array/);
    expect(() => addon.cast(x, o, NaN)).toThrow(RangeError);
  });
});
