/**
 * Accuracy of the native vectorized transcendental functions on every ISA path this CPU has,
 * swept over the whole float32 range: every float whose bit pattern is i * STRIDE (STRIDE odd,
 * so all exponents and varied mantissas are hit: ~4.2 million values, both signs, subnormals,
 * inf and NaN), plus special values.
 *
 * Reference: the float64 JS function rounded to float32 (Math.fround(Math.exp(x)) etc.;
 * sigmoid = 1 / (1 + exp(-x)) in float64; tanh = Math.tanh). Distance in ulps is the
 * difference of the ordered integer bit patterns (so +-0 are the same point, and the distance
 * to the correctly rounded result of an overflowing function is measured against inf);
 * NaN must match NaN exactly.
 *
 * Contract: Exp, Log, Tanh, Sigmoid within 4 ulp.
 * Documented tolerances for the others (reference also float64 JS):
 *   Log1p, Softplus, Elu, Selu: 8 ulp (measured <= 3).
 *   Gelu (exact erf form; the test computes erfc in float64 by series / continued fraction):
 *     16 ulp (measured 8, at results near the subnormal range where erfc's relative error
 *     is largest).
 *   Sin, Cos: 4 ulp, or an absolute error <= 2^-28 for results near a zero of the function,
 *     where the argument reduction's absolute error (< 1e-10 for |x| <= 8192; libm beyond)
 *     dominates the relative one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addon, ISAS, restoreIsaAfterAll } from './addon_helpers.js';
import type { Isa } from '../../src/backend/native/addon.js';

restoreIsaAfterAll();

const STRIDE = 1021;
const SPECIAL = [
  0, -0, Infinity, -Infinity, NaN, 1, -1, 1e-45, -1e-45, 1.1754942e-38, 1.17549435e-38, -1.17549435e-38,
  3.4028235e38, -3.4028235e38, 88.72283, 88.722839, 88.7228394, 89, -87.33654, -103.2789, -103.97208, -104, -150,
  0.625, -0.625, 0.6249999, 9, -9, 20, -20, 0.5, -0.5, 2, 0.6931472, 1.0000001, 0.99999994,
];

function sweep(): Float32Array {
  const n = Math.floor(2 ** 32 / STRIDE);
  const bits = new Uint32Array(n + SPECIAL.length);
  for (let i = 0; i < n; i++) bits[i] = (i * STRIDE) >>> 0;
  const x = new Float32Array(bits.buffer);
  x.set(SPECIAL, n);
  return x;
}
const X = sweep();

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
function ordered(v: number): number {
  f32[0] = v;
  const b = i32[0];
  return b < 0 ? -2147483648 - b : b;
}
/** Distance in float32 ulps between got and the float32 rounding of ref. */
function ulpDistance(got: number, ref: number): number {
  const r = Math.fround(ref);
  if (Number.isNaN(r) || Number.isNaN(got)) return Number.isNaN(r) && Number.isNaN(got) ? 0 : Infinity;
  if (r === got) return 0;
  return Math.abs(ordered(got) - ordered(r));
}

/** erfc in float64: power series below 2.5, Lentz continued fraction above (rel. error ~1e-14). */
export function erfc64(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 2 - erfc64(-z);
  if (z === Infinity) return 0;
  if (z < 2.5) {
    let term = z;
    let s = z;
    for (let n = 1; n < 300; n++) {
      term *= (-z * z) / n;
      const c = term / (2 * n + 1);
      s += c;
      if (Math.abs(c) < 1e-17 * Math.abs(s)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * s;
  }
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 1000; k++) {
    const a = k / 2;
    d = 1 / (z + a * d);
    c = z + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / (f * Math.sqrt(Math.PI));
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

interface Fn {
  name: string;
  ref: (x: number) => number;
  maxUlp: number;
  /** Also accept an absolute error up to this. */
  absTol?: number;
}
const CONTRACT: Fn[] = [
  { name: 'Exp', ref: Math.exp, maxUlp: 4 },
  { name: 'Log', ref: Math.log, maxUlp: 4 },
  { name: 'Tanh', ref: Math.tanh, maxUlp: 4 },
  { name: 'Sigmoid', ref: (x) => 1 / (1 + Math.exp(-x)), maxUlp: 4 },
];
const DOCUMENTED: Fn[] = [
  { name: 'Log1p', ref: Math.log1p, maxUlp: 8 },
  { name: 'Softplus', ref: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), maxUlp: 8 },
  { name: 'Elu', ref: (x) => (x > 0 ? x : Math.expm1(x)), maxUlp: 8 },
  { name: 'Selu', ref: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)), maxUlp: 8 },
  { name: 'Gelu', ref: (x) => (x === -Infinity ? -0 : x * 0.5 * erfc64(-x / Math.SQRT2)), maxUlp: 16 },
  { name: 'Sin', ref: Math.sin, maxUlp: 4, absTol: 2 ** -28 },
  { name: 'Cos', ref: Math.cos, maxUlp: 4, absTol: 2 ** -28 },
];

// References are ISA-independent: computed once per function.
const refCache = new Map<string, Float64Array>();
function reference(fn: Fn): Float64Array {
  let r = refCache.get(fn.name);
  if (!r) {
    r = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) r[i] = fn.ref(X[i]);
    refCache.set(fn.name, r);
  }
  return r;
}

interface Worst {
  ulp: number;
  at: number;
  got: number;
  want: number;
}
function measure(fn: Fn, isa: Isa): Worst {
  addon.setIsa(isa);
  const out = new Float32Array(X.length);
  addon.unary(fn.name, X, out, X.length, 0, 0);
  const ref = reference(fn);
  const worst: Worst = { ulp: 0, at: NaN, got: NaN, want: NaN };
  for (let i = 0; i < X.length; i++) {
    let d = ulpDistance(out[i], ref[i]);
    if (d > fn.maxUlp && fn.absTol !== undefined && Math.abs(out[i] - ref[i]) <= fn.absTol) d = 0;
    if (d > worst.ulp) Object.assign(worst, { ulp: d, at: X[i], got: out[i], want: ref[i] });
  }
  return worst;
}

const report: string[] = [];
afterAll(() => {
  console.log(`worst ulp over ${X.length} float32 inputs (stride ${STRIDE} + specials):\n${report.join('\n')}`);
});

describe.each(ISAS)('ulp accuracy on %s', (isa) => {
  it.each(CONTRACT)('$name is within 4 ulp over the whole float range', (fn) => {
    const w = measure(fn, isa);
    report.push(`  ${isa.padEnd(7)} ${fn.name.padEnd(9)} ${w.ulp} ulp`);
    expect(w.ulp, `${fn.name} on ${isa}: ${w.ulp} ulp at x = ${w.at} (got ${w.got}, want ${w.want})`).toBeLessThanOrEqual(4);
  });

  it.each(DOCUMENTED)('$name is within its documented tolerance', (fn) => {
    const w = measure(fn, isa);
    report.push(`  ${isa.padEnd(7)} ${fn.name.padEnd(9)} ${w.ulp} ulp${fn.absTol ? ' (beyond abs 2^-28)' : ''}`);
    expect(w.ulp, `${fn.name} on ${isa}: ${w.ulp} ulp at x = ${w.at} (got ${w.got}, want ${w.want})`).toBeLessThanOrEqual(fn.maxUlp);
  });

  it('special values: signed zeros, infinities, NaN, subnormal results', () => {
    addon.setIsa(isa);
    const run = (name: string, xs: number[]): number[] => {
      const out = new Float32Array(xs.length);
      addon.unary(name, Float32Array.from(xs), out, xs.length, 0, 0);
      return Array.from(out);
    };
    expect(run('Exp', [-0, Infinity, -Infinity, NaN, 89, -104, 88.722839])).toEqual([1, Infinity, 0, NaN, Infinity, 0, Infinity]);
    // The largest finite result: exp(88.72283) = 3.40279e38, just below FLT_MAX.
    const top = run('Exp', [88.72283])[0];
    expect(Number.isFinite(top) && ulpDistance(top, Math.exp(Math.fround(88.72283))) <= 1).toBe(true);
    // exp of -100 is subnormal (3.7e-44, 26 subnormal ulps): exact here.
    expect(run('Exp', [-100])[0]).toBe(Math.fround(Math.exp(-100)));
    expect(run('Log', [0, -0, -1, Infinity, -Infinity, NaN, 1, 1e-45])).toEqual([-Infinity, -Infinity, NaN, Infinity, NaN, NaN, 0, Math.fround(Math.log(Math.fround(1e-45)))]);
    const tanh = run('Tanh', [-0, 0, Infinity, -Infinity, NaN, 1e-40, -1e-40]);
    expect(Object.is(tanh[0], -0)).toBe(true);
    expect(Object.is(tanh[1], 0)).toBe(true);
    expect(tanh.slice(2)).toEqual([1, -1, NaN, Math.fround(1e-40), Math.fround(-1e-40)]);
    expect(run('Sigmoid', [-0, Infinity, -Infinity, NaN, -100])).toEqual([0.5, 1, 0, NaN, Math.fround(1 / (1 + Math.exp(100)))]);
    expect(Object.is(run('Log1p', [-0])[0], -0)).toBe(true);
    expect(run('Log1p', [-1, -2, Infinity])).toEqual([-Infinity, NaN, Infinity]);
    const far = run('Sin', [Infinity, NaN, 1e30, -12345.678]);
    expect(far.slice(0, 2)).toEqual([NaN, NaN]);
    expect(ulpDistance(far[2], Math.sin(Math.fround(1e30)))).toBeLessThanOrEqual(1); // libm path
    expect(ulpDistance(far[3], Math.sin(Math.fround(-12345.678)))).toBeLessThanOrEqual(1);
    expect(Object.is(run('Sin', [-0])[0], -0)).toBe(true);
    expect(run('Gelu', [Infinity, -Infinity, NaN, 0])).toEqual([Infinity, -0, NaN, 0]);
  });
});
