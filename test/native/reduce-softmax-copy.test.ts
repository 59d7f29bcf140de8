/**
 * Native reductions, softmax and copy kernels (transpose, slice, concat, gather) against plain
 * JS references on every ISA path this CPU has, plus argument validation.
 */
import { describe, expect, it } from 'vitest';
import { addon, ISAS, restoreIsaAfterAll, rng } from './addon_helpers.js';
import type { Isa } from '../../src/backend/native/addon.js';

restoreIsaAfterAll();

type Typed = Float32Array | Int32Array | Uint8Array;
function floats(n: number, seed: number, lo = -3, hi = 3): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}
function ints(n: number, seed: number, lo = -50, hi = 50): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: n }, () => Math.floor(lo + (hi - lo + 1) * r()));
}
function ofType(kind: string, n: number, seed: number): Typed {
  if (kind === 'float32') return floats(n, seed);
  if (kind === 'int32') return ints(n, seed);
  return Uint8Array.from(ints(n, seed, 0, 255));
}
const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

// ---------------------------------------------------------------- reductions
/** Reference over [outer, reduce, inner] in float64 (ints: Int32Array wrap for Sum / Prod). */
function reduceRef(op: string, x: Typed, outer: number, reduce: number, inner: number, isInt: boolean): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const v = (r: number) => x[(o * reduce + r) * inner + i];
      let acc: number;
      switch (op) {
        case 'Sum': acc = 0; for (let r = 0; r < reduce; r++) acc = isInt ? (acc + v(r)) | 0 : acc + v(r); break;
        case 'Prod': acc = 1; for (let r = 0; r < reduce; r++) acc = isInt ? Math.imul(acc, v(r)) : acc * v(r); break;
        case 'Max': acc = -Infinity; for (let r = 0; r < reduce; r++) acc = Math.max(acc, v(r)); break;
        case 'Min': acc = Infinity; for (let r = 0; r < reduce; r++) acc = Math.min(acc, v(r)); break;
        case 'ArgMax': case 'ArgMin': {
          acc = 0;
          for (let r = 1; r < reduce; r++) {
            const b = v(acc);
            if (Number.isNaN(b)) break;
            if (Number.isNaN(v(r)) || (op === 'ArgMax' ? v(r) > b : v(r) < b)) acc = r;
          }
          break;
        }
        default: { // LogSumExp
          let m = -Infinity;
          for (let r = 0; r < reduce; r++) m = Math.max(m, v(r));
          if (!Number.isFinite(m)) { acc = m; break; }
          let s = 0;
          for (let r = 0; r < reduce; r++) s += Math.exp(v(r) - m);
          acc = m + Math.log(s);
        }
      }
      out.push(acc);
    }
  }
  return out;
}
function expectClose(got: ArrayLike<number>, want: number[], rel: number, what: string) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const ok = rel === 0 ? Object.is(g, Math.fround(w)) || (g === 0 && w === 0 && rel === 0 && Object.is(g, w))
      : Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)) || Math.abs(g - w) <= rel * Math.max(1, Math.abs(w));
    if (!ok) expect.fail(`${what}: element ${i}: got ${g}, want ${w}`);
  }
}

const REDUCE_SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 1000, 1], [3, 37, 1], [2, 17, 5], [4, 300, 33], [1, 5, 600], [2, 129, 257], [5, 3, 1], [3, 0, 4], [0, 5, 3],
];
const FLOAT_TOL: Record<string, number> = { Sum: 2e-5, Prod: 1e-4, Max: 0, Min: 0, ArgMax: 0, ArgMin: 0, LogSumExp: 2e-6 };

describe.each(ISAS)('reduce on %s', (isa) => {
  it.each(REDUCE_SHAPES)('float32, every op, [outer %i, reduce %i, inner %i]', (outer, reduce, inner) => {
    addon.setIsa(isa);
    const x = floats(outer * reduce * inner, outer * 100 + reduce + inner, -1.5, 1.5);
    for (const op of Object.keys(FLOAT_TOL)) {
      if (reduce === 0 && op.startsWith('Arg')) continue;
      const out = op.startsWith('Arg') ? new Int32Array(outer * inner) : new Float32Array(outer * inner);
      addon.reduce(op, x, outer, reduce, inner, out);
      expectClose(out, reduceRef(op, x, outer, reduce, inner, false), FLOAT_TOL[op], `${op} [${outer},${reduce},${inner}]`);
    }
  });

  it.each(REDUCE_SHAPES)('int32, every op, [outer %i, reduce %i, inner %i]', (outer, reduce, inner) => {
    addon.setIsa(isa);
    const x = ints(outer * reduce * inner, outer * 7 + reduce + inner, -3, 3);
    for (const op of ['Sum', 'Prod', 'Max', 'Min', 'ArgMax', 'ArgMin']) {
      if (reduce === 0 && op.startsWith('Arg')) continue;
      const out = new Int32Array(outer * inner);
      addon.reduce(op, x, outer, reduce, inner, out);
      let want = reduceRef(op, x, outer, reduce, inner, true);
      if (reduce === 0) want = want.map((v) => (v === -Infinity ? -2147483648 : v === Infinity ? 2147483647 : v));
      expect(Array.from(out), op).toEqual(want);
    }
  });

  it('sums 1e6 ones exactly, as rows and as columns', () => {
    addon.setIsa(isa);
    const ones = new Float32Array(1_000_000).fill(1);
    const out = new Float32Array(4);
    addon.reduce('Sum', ones, 1, 1_000_000, 1, out);
    expect(out[0]).toBe(1e6);
    addon.reduce('Sum', ones, 1, 250_000, 4, out);
    expect(Array.from(out)).toEqual([250000, 250000, 250000, 250000]);
    const tenth = new Float32Array(1_000_000).fill(0.1);
    addon.reduce('Sum', tenth, 1, 1_000_000, 1, out);
    expect(Math.abs(out[0] - 100000 * Math.fround(0.1) * 10) / 1e5).toBeLessThan(1e-6);
  });

  it('NaN, infinities and signed zeros', () => {
    addon.setIsa(isa);
    const run = (op: string, xs: number[], inner = 1) => {
      const out = op.startsWith('Arg') ? new Int32Array(inner) : new Float32Array(inner);
      addon.reduce(op, Float32Array.from(xs), 1, xs.length / inner, inner, out);
      return Array.from(out);
    };
    for (const inner of [1, 3]) {
      const rep = (xs: number[]) => xs.flatMap((v) => new Array(inner).fill(v));
      const withNan = rep([1, 5, NaN, 7, NaN, ...new Array(40).fill(2)]);
      expect(run('Max', withNan, inner)).toEqual(new Array(inner).fill(NaN));
      expect(run('ArgMax', withNan, inner)).toEqual(new Array(inner).fill(2));
      expect(run('ArgMin', withNan, inner)).toEqual(new Array(inner).fill(2));
      const ties = rep([1, 9, 3, 9, -4, -4, ...new Array(37).fill(0)]);
      expect(run('ArgMax', ties, inner)).toEqual(new Array(inner).fill(1));
      expect(run('ArgMin', ties, inner)).toEqual(new Array(inner).fill(4));
      expect(Object.is(run('Max', rep([-0, 0, -0]), inner)[0], 0)).toBe(true);
      expect(Object.is(run('Min', rep([0, -0, 0]), inner)[0], -0)).toBe(true);
      expect(run('LogSumExp', rep([-Infinity, -Infinity]), inner)[0]).toBe(-Infinity);
      expect(run('LogSumExp', rep([1, Infinity]), inner)[0]).toBe(Infinity);
      expect(run('LogSumExp', rep([1e4, 1e4, -1e4]), inner)[0]).toBeCloseTo(1e4 + Math.log(2), 2);
      expect(run('LogSumExp', rep([-1e30, 3, -Infinity]), inner)[0]).toBe(3);
    }
  });

  it('empty reductions give the identities', () => {
    addon.setIsa(isa);
    const out = new Float32Array(3);
    const expectFill = (op: string, v: number) => {
      addon.reduce(op, new Float32Array(0), 3, 0, 1, out);
      expect(Array.from(out), op).toEqual([v, v, v]);
    };
    expectFill('Sum', 0);
    expectFill('Prod', 1);
    expectFill('Max', -Infinity);
    expectFill('Min', Infinity);
    expectFill('LogSumExp', -Infinity);
  });

  it('large inputs on the thread pool: many rows, and few rows of many columns', () => {
    addon.setIsa(isa);
    const x = floats(1000 * 300, 5);
    const out = new Float32Array(1000);
    addon.reduce('Max', x, 1000, 300, 1, out);
    expectClose(out, reduceRef('Max', x, 1000, 300, 1, false), 0, 'rows');
    const y = floats(3 * 50000, 6);
    const cols = new Int32Array(50000);
    addon.reduce('ArgMin', y, 1, 3, 50000, cols);
    expect(Array.from(cols)).toEqual(reduceRef('ArgMin', y, 1, 3, 50000, false));
    const sum = new Float32Array(50000);
    addon.reduce('LogSumExp', y, 1, 3, 50000, sum);
    expectClose(sum, reduceRef('LogSumExp', y, 1, 3, 50000, false), 2e-6, 'LogSumExp columns');
  });
});

// ---------------------------------------------------------------- softmax
function softmaxRef(x: Float32Array, rows: number, cols: number, log: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
    const m = Math.max(...row);
    const s = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
    for (const v of row) out.push(log ? v - m - Math.log(s) : Math.exp(v - m) / s);
  }
  return out;
}

describe.each(ISAS)('softmax on %s', (isa) => {
  it.each([[1, 1], [3, 7], [2, 33], [4, 1000], [5, 17]])('rows %i, cols %i, softmax and log-softmax', (rows, cols) => {
    addon.setIsa(isa);
    const x = floats(rows * cols, rows * 13 + cols, -10, 10);
    for (const log of [false, true]) {
      const out = new Float32Array(rows * cols);
      addon.softmax(x, out, rows, cols, log);
      const want = softmaxRef(x, rows, cols, log);
      for (let i = 0; i < want.length; i++) {
        expect(Math.abs(out[i] - want[i])).toBeLessThanOrEqual(log ? 4e-6 * Math.max(1, Math.abs(want[i])) : 4e-7 + 4e-6 * want[i]);
      }
      if (!log) {
        for (let r = 0; r < rows; r++) expect(Math.abs(out.subarray(r * cols, (r + 1) * cols).reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-5);
      }
    }
  });

  it('large magnitudes stay finite and exact; -inf entries give 0 (log: -inf)', () => {
    addon.setIsa(isa);
    const x = Float32Array.from([1e4, -1e4, 1e4, 0, -1e30, 1e30, 1e30 - 1, -Infinity, 5, -Infinity, 5, -Infinity]);
    const out = new Float32Array(12);
    addon.softmax(x, out, 4, 3, false);
    // Rows: [1e4, -1e4, 1e4], [0, -1e30, 1e30], [1e30, -inf, 5], [-inf, 5, -inf].
    expect(Array.from(out)).toEqual([0.5, 0, 0.5, 0, 0, 1, 1, 0, 0, 0, 1, 0]);
    addon.softmax(x, out, 4, 3, true);
    const f = Math.fround;
    const ln2 = f(Math.LN2);
    expect(Array.from(out)).toEqual([-ln2, f(-2e4 - ln2), -ln2, -f(1e30), f(-2 * f(1e30)), 0, 0, -Infinity, -f(1e30),
      -Infinity, 0, -Infinity]);
  });

  it('works in place and on the thread pool', () => {
    addon.setIsa(isa);
    const x = floats(300 * 513, 3, -20, 20);
    const want = softmaxRef(x, 300, 513, false);
    addon.softmax(x, x, 300, 513, false);
    for (let i = 0; i < want.length; i += 7) expect(Math.abs(x[i] - want[i])).toBeLessThanOrEqual(4e-7 + 4e-6 * want[i]);
  });
});

// ---------------------------------------------------------------- copy kernels
function transposeRef(x: Typed, shape: number[], perm: number[]): number[] {
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => size(shape.slice(i + 1)));
  const out: number[] = [];
  const idx = new Array(outShape.length).fill(0);
  for (let t = 0; t < size(outShape); t++) {
    let off = 0;
    for (let k = 0; k < perm.length; k++) off += idx[k] * strides[perm[k]];
    out.push(x[off]);
    for (let k = outShape.length - 1; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}
function make(kind: string, n: number): Typed {
  return kind === 'float32' ? new Float32Array(n) : kind === 'int32' ? new Int32Array(n) : new Uint8Array(n);
}
const KINDS = ['float32', 'int32', 'uint8'];
const TRANSPOSES: [number[], number[]][] = [
  [[37, 53], [1, 0]],
  [[300, 517], [1, 0]],
  [[2, 3, 4], [0, 2, 1]],
  [[2, 3, 4], [2, 0, 1]],
  [[2, 3, 4], [1, 0, 2]],
  [[5, 1, 7, 1, 3], [4, 2, 0, 3, 1]],
  [[3, 4, 5, 6, 7], [0, 1, 2, 3, 4]],
  [[3, 4, 5, 6, 7], [1, 0, 3, 2, 4]],
  [[2, 3, 5, 7, 2, 3], [5, 3, 1, 4, 2, 0]],
  [[64, 3, 129], [2, 1, 0]],
  [[7], [0]],
  [[], []],
  [[0, 5], [1, 0]],
];

describe('copy kernels', () => {
  it.each(KINDS)('transpose %s: 2-D tiles, last axis kept, N-D, size-1 and empty dims', (kind) => {
    for (const [shape, perm] of TRANSPOSES) {
      const x = ofType(kind, size(shape), shape.length * 3 + 1);
      const out = make(kind, size(shape));
      addon.transpose(x, shape, perm, out);
      expect(Array.from(out), `${kind} ${JSON.stringify(shape)} ${JSON.stringify(perm)}`).toEqual(transposeRef(x, shape, perm));
    }
  });

  it.each(KINDS)('slice %s', (kind) => {
    const cases: [number[], number[], number[]][] = [
      [[10], [3], [5]],
      [[4, 7], [1, 2], [2, 5]],
      [[4, 7], [0, 0], [4, 7]],
      [[3, 4, 5], [1, 0, 0], [2, 4, 5]],
      [[3, 4, 5], [0, 1, 2], [3, 2, 3]],
      [[2, 3, 4, 5, 6], [1, 1, 0, 2, 3], [1, 2, 4, 3, 2]],
      [[5, 5], [2, 5], [3, 0]],
      [[], [], []],
    ];
    for (const [shape, begin, sz] of cases) {
      const x = ofType(kind, size(shape), 4);
      const out = make(kind, size(sz));
      addon.slice(x, shape, begin, sz, out);
      const strides = shape.map((_, i) => size(shape.slice(i + 1)));
      const want: number[] = [];
      const idx = new Array(sz.length).fill(0);
      for (let t = 0; t < size(sz); t++) {
        want.push(x[idx.reduce((acc, v, k) => acc + (v + begin[k]) * strides[k], 0)]);
        for (let k = sz.length - 1; k >= 0; k--) {
          if (++idx[k] < sz[k]) break;
          idx[k] = 0;
        }
      }
      expect(Array.from(out), JSON.stringify([shape, begin, sz])).toEqual(want);
    }
  });

  it.each(KINDS)('concat %s', (kind) => {
    for (const [outer, inners] of [[3, [2, 5, 1]], [1, [4]], [4, [0, 3, 0, 2]], [0, [2, 2]], [2, []], [1000, [7, 13]]] as [number, number[]][]) {
      const inputs = inners.map((w, i) => ofType(kind, outer * w, i + 2));
      const width = inners.reduce((a, b) => a + b, 0);
      const out = make(kind, outer * width);
      addon.concat(inputs, outer, inners, out);
      const want: number[] = [];
      for (let o = 0; o < outer; o++) inputs.forEach((x, i) => want.push(...Array.from(x.subarray(o * inners[i], (o + 1) * inners[i]))));
      expect(Array.from(out)).toEqual(want);
    }
  });

  it.each(KINDS)('gather %s', (kind) => {
    for (const [outer, n, inner, idx] of [[1, 5, 3, [4, 0, 0, 2]], [3, 4, 1, [3, 1]], [2, 6, 5, []], [4, 3, 7, [2, 2, 1, 0, 1]], [200, 50, 30, [49, 0, 25]]] as [number, number, number, number[]][]) {
      const x = ofType(kind, outer * n * inner, 9);
      const out = make(kind, outer * idx.length * inner);
      addon.gather(x, outer, n, inner, Int32Array.from(idx), out);
      const want: number[] = [];
      for (let o = 0; o < outer; o++) for (const j of idx) want.push(...Array.from(x.subarray((o * n + j) * inner, (o * n + j + 1) * inner)));
      expect(Array.from(out)).toEqual(want);
    }
  });
});

// ---------------------------------------------------------------- validation
describe('argument validation', () => {
  const x = new Float32Array(12);
  it('reduce', () => {
    const o = new Float32Array(4);
    expect(() => addon.reduce('Sum', x, 3, 4, 1)).toThrow(/reduce: expected 6 arguments, got 5/);
    expect(() => addon.reduce('Mean', x, 3, 4, 1, o)).toThrow(/'Mean' is not a reduction; expected one of Sum, Prod, Max, Min, ArgMax, ArgMin, LogSumExp/);
    expect(() => addon.reduce('ArgMax', x, 3, 0, 1, new Int32Array(3))).toThrow(/reduce\) must be at least 1 for ArgMax/);
    expect(() => addon.reduce('Sum', x, 3, 5, 1, o)).toThrow(/x\) is too short: needs 15 elements, has 12/);
    expect(() => addon.reduce('Sum', x, 4, 3, 1, new Float32Array(3))).toThrow(/out\) is too short/);
    expect(() => addon.reduce('ArgMax', x, 3, 4, 1, new Float32Array(3))).toThrow(/out\) must be a Int32Array for ArgMax/);
    expect(() => addon.reduce('Sum', x, 3, 4, 1, new Int32Array(3))).toThrow(/out\) must be a Float32Array for Sum/);
    expect(() => addon.reduce('LogSumExp', new Int32Array(12), 3, 4, 1, new Int32Array(3))).toThrow(/Float32Array for LogSumExp, got Int32Array/);
    expect(() => addon.reduce('Sum', new Uint8Array(12), 3, 4, 1, new Uint8Array(3))).toThrow(/got Uint8Array/);
    expect(() => addon.reduce('Sum', x, -3, 4, 1, o)).toThrow(RangeError);
    expect(() => addon.reduce('Sum', x, 1.5, 4, 1, o)).toThrow(/outer\) must be an integer/);
    expect(() => addon.reduce('Sum', x, 2 ** 40, 2 ** 40, 1, o)).toThrow(/too many elements/);
  });
  it('softmax', () => {
    expect(() => addon.softmax(x, x, 3, 4)).toThrow(/expected 5 arguments/);
    expect(() => addon.softmax(x, x, 4, 4, false)).toThrow(/x\) is too short/);
    expect(() => addon.softmax(x, new Float32Array(2), 3, 4, false)).toThrow(/out\) is too short/);
    expect(() => addon.softmax(new Int32Array(12) as unknown as Float32Array, x, 3, 4, false)).toThrow(/must be a Float32Array, got Int32Array/);
    expect(() => addon.softmax(x, x, 3, 4, 1 as unknown as boolean)).toThrow(/log\) must be a boolean/);
  });
  it('transpose', () => {
    const o = new Float32Array(12);
    expect(() => addon.transpose(x, [3, 4], [0, 0], o)).toThrow(/perm\) must be a permutation of 0..1 \(entry 0 at position 1 is repeated\)/);
    expect(() => addon.transpose(x, [3, 4], [0, 2], o)).toThrow(/entry 2 at position 1 is out of range/);
    expect(() => addon.transpose(x, [3, 4], [0], o)).toThrow(/perm\) must have 2 entries, got 1/);
    expect(() => addon.transpose(x, [3, 4], [1, -1], o)).toThrow(/invalid entry at position 1/);
    expect(() => addon.transpose(x, [3, 5], [1, 0], o)).toThrow(/x\) is too short/);
    expect(() => addon.transpose(x, [3, 4], [1, 0], new Int32Array(12))).toThrow(/out\) must be a Float32Array like x/);
  });
  it('slice', () => {
    expect(() => addon.slice(x, [3, 4], [1, 2], [2, 3], new Float32Array(6))).toThrow(/slice \[2, 5\) along axis 1 exceeds its extent 4/);
    expect(() => addon.slice(x, [3, 4], [4, 0], [0, 4], new Float32Array(6))).toThrow(/along axis 0 exceeds its extent 3/);
    expect(() => addon.slice(x, [3, 4], [1], [2, 3], new Float32Array(6))).toThrow(/begin\) must have 2 entries/);
    expect(() => addon.slice(x, [3, 4], [0, 0], [2, 3], new Float32Array(5))).toThrow(/out\) is too short/);
    expect(() => addon.slice(x, [3, 4], [0, 0.5], [2, 3], new Float32Array(6))).toThrow(/invalid entry/);
  });
  it('concat', () => {
    const a = new Float32Array(6);
    expect(() => addon.concat(a as unknown as Float32Array[], 2, [3], a)).toThrow(/inputs\) must be an array of typed arrays/);
    expect(() => addon.concat([a, new Int32Array(6)], 2, [3, 3], new Float32Array(12))).toThrow(/entry 1 must be a Float32Array like out/);
    expect(() => addon.concat([a, a], 2, [3, 4], new Float32Array(14))).toThrow(/entry 1 is too short: needs 8 elements, has 6/);
    expect(() => addon.concat([a, a], 2, [3], new Float32Array(12))).toThrow(/inners\) must have 2 entries, got 1/);
    expect(() => addon.concat([a, a], 2, [3, 3], new Float32Array(11))).toThrow(/out\) is too short/);
  });
  it('gather', () => {
    const o = new Float32Array(12);
    expect(() => addon.gather(x, 1, 4, 3, Int32Array.from([0, 4]), o)).toThrow(/indices\) has index 4 at position 1, outside the range \[0, 4\)/);
    expect(() => addon.gather(x, 1, 4, 3, Int32Array.from([-1]), o)).toThrow(/has index -1 at position 0/);
    expect(() => addon.gather(x, 1, 4, 3, [0] as unknown as Int32Array, o)).toThrow(/indices\) must be an Int32Array, got an Array/);
    expect(() => addon.gather(x, 1, 4, 3, Float32Array.from([0]) as unknown as Int32Array, o)).toThrow(/must be an Int32Array, got Float32Array/);
    expect(() => addon.gather(x, 1, 5, 3, Int32Array.from([0]), o)).toThrow(/x\) is too short/);
    expect(() => addon.gather(x, 1, 4, 3, Int32Array.from([0, 1, 2, 3, 0]), o)).toThrow(/out\) is too short/);
    expect(() => addon.gather(x, 1, 4, 3, Int32Array.from([0]), new Uint8Array(3))).toThrow(/out\) must be a Float32Array like x/);
  });
});
