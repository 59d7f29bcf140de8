import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/backend/native/addon.js';
import type { Isa, NativeAddon } from '../../src/backend/native/addon.js';

const loaded = loadAddon().addon;

const ISA_ORDER: Isa[] = ['scalar', 'avx2', 'avx512'];

function random(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s >>> 8) / 16777216) * 2 - 1;
  }
  return out;
}

interface Case {
  batch: number;
  m: number;
  n: number;
  k: number;
  ta: boolean;
  tb: boolean;
  sa: number;
  sb: number;
}

interface Prepared extends Case {
  a: Float32Array;
  b: Float32Array;
  ref: Float64Array;
  tol: Float64Array;
}

// float64 reference plus a per-element bound: float32 accumulation of k products is off by at
// most ~k * 2^-24 * sum |a| |b| (doubled for headroom); a wrong element is off by ~sum |a| |b|.
function prepare(cs: Case, seed: number): Prepared {
  const { batch, m, n, k, ta, tb, sa, sb } = cs;
  const aLen = batch > 0 ? (batch - 1) * sa + m * k : 0;
  const bLen = batch > 0 ? (batch - 1) * sb + k * n : 0;
  const a = random(aLen, seed * 2 + 1);
  const b = random(bLen, seed * 2 + 2);
  const ref = new Float64Array(batch * m * n);
  const tol = new Float64Array(batch * m * n);
  const unit = 2 * (k + 2) * 2 ** -24;
  for (let bi = 0; bi < batch; ++bi) {
    const ao = bi * sa, bo = bi * sb, co = bi * m * n;
    for (let i = 0; i < m; ++i) {
      for (let j = 0; j < n; ++j) {
        let s = 0, abs = 0;
        for (let p = 0; p < k; ++p) {
          const x = ta ? a[ao + p * m + i] : a[ao + i * k + p];
          const y = tb ? b[bo + j * k + p] : b[bo + p * n + j];
          s += x * y;
          abs += Math.abs(x * y);
        }
        ref[co + i * n + j] = s;
        tol[co + i * n + j] = unit * abs + 1e-30;
      }
    }
  }
  return { ...cs, a, b, ref, tol };
}

// Runs one case; c is padded with sentinels on both sides to catch out-of-bounds writes.
function check(addon: NativeAddon, p: Prepared, what: string): void {
  const count = p.batch * p.m * p.n;
  const pad = 37;
  const buffer = new Float32Array(count + 2 * pad).fill(12345);
  const c = buffer.subarray(pad, pad + count);
  c.fill(Number.NaN);
  addon.gemm(p.a, p.b, c, p.batch, p.m, p.n, p.k, p.ta, p.tb, p.sa, p.sb);
  for (let i = 0; i < pad; ++i) {
    if (buffer[i] !== 12345 || buffer[pad + count + i] !== 12345) {
      throw new Error(`${what}: wrote outside c (sentinel ${i})`);
    }
  }
  for (let i = 0; i < count; ++i) {
    const err = Math.abs(c[i] - p.ref[i]);
    if (!(err <= p.tol[i])) {
      throw new Error(`${what}: element ${i} is ${c[i]}, expected ${p.ref[i]} (tolerance ${p.tol[i]})`);
    }
  }
}

const plain = (m: number, n: number, k: number, ta = false, tb = false): Case => ({
  batch: 1, m, n, k, ta, tb, sa: 0, sb: 0,
});

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 7, 7],
  [17, 17, 17],
  [63, 63, 63],
  [65, 65, 65],
  [257, 257, 257],
  [13, 29, 71],
  [100, 3, 45],
  [3, 100, 45],
  [15, 33, 17],
  [1, 300, 5],
  [300, 1, 5],
  [33, 47, 600], // k past one packed block
  [29, 65, 520],
  [40, 600, 30], // n past one packed block
  [520, 40, 30],
  [130, 530, 600], // A packed per chunk of rows and kept across column blocks, over two depth blocks
  [20, 700, 100], // few rows, many columns: tiles split columns (and pack their own B)
  [60, 300, 100],
  [6, 16, 8],
  [14, 32, 16],
  [28, 64, 33],
  // At most 4 rows, A and B not transposed: the few-rows kernels (no packing), every column
  // tail of their 64- / 32-column passes, and k odd and even (their two accumulator sets).
  [1, 64, 784],
  [1, 10, 64],
  [2, 71, 33],
  [3, 129, 50],
  [4, 200, 17],
  [1, 1000, 1000], // enough work to split columns across threads
  // One column (a matrix-vector product; the GAN discriminator's output layer is 64x1x128): row
  // dots, or one row of the few-rows kernels when A is transposed; k past and below a vector.
  [64, 1, 128],
  [7, 1, 33],
  [130, 1, 300],
  [5, 1, 3],
  [1000, 1, 700], // enough work to split rows across threads
  // Narrow C (the MLP's output layer is 32x10x64): computed as C^T = op(B)^T op(A)^T, then
  // transposed, for A transposed, for few rows, or for a quarter of a vector's lanes at most.
  [32, 10, 64],
  [200, 12, 70],
  [130, 4, 90],
  [40, 5, 50], // narrow on AVX2 too (8 lanes)
  [200, 2, 60],
];

const CASES: Case[] = [];
for (const [m, n, k] of SHAPES) {
  for (const ta of [false, true]) for (const tb of [false, true]) CASES.push(plain(m, n, k, ta, tb));
}
for (const ta of [false, true]) {
  for (const tb of [false, true]) {
    // Batched: both strides nonzero (with gaps between matrices), one stride 0, both 0.
    CASES.push({ batch: 3, m: 19, n: 37, k: 23, ta, tb, sa: 19 * 23 + 5, sb: 23 * 37 + 3 });
    CASES.push({ batch: 4, m: 9, n: 70, k: 40, ta, tb, sa: 0, sb: 40 * 70 });
    CASES.push({ batch: 4, m: 70, n: 9, k: 40, ta, tb, sa: 70 * 40, sb: 0 });
    CASES.push({ batch: 2, m: 33, n: 17, k: 65, ta, tb, sa: 0, sb: 0 });
    // Many small matrices (split across threads by matrix) and a batch of large ones.
    CASES.push({ batch: 24, m: 16, n: 20, k: 12, ta, tb, sa: 16 * 12, sb: 12 * 20 });
    CASES.push({ batch: 2, m: 130, n: 150, k: 90, ta, tb, sa: 130 * 90, sb: 90 * 150 });
    CASES.push({ batch: 5, m: 1, n: 90, k: 31, ta, tb, sa: 31 + 2, sb: 0 });
    // Small enough to skip blocking (B not transposed, whole column panels on every ISA): one
    // in-place pass per matrix, one operand broadcast.
    CASES.push({ batch: 3, m: 20, n: 64, k: 30, ta, tb, sa: 20 * 30 + 7, sb: 0 });
    CASES.push({ batch: 2, m: 33, n: 96, k: 50, ta, tb, sa: 0, sb: 50 * 96 + 1 });
    CASES.push({ batch: 3, m: 40, n: 10, k: 30, ta, tb, sa: 40 * 30 + 1, sb: 30 * 10 + 2 });
    // One column, batched: strided matrices, one shared vector; and both shared.
    CASES.push({ batch: 3, m: 45, n: 1, k: 70, ta, tb, sa: 45 * 70 + 3, sb: 0 });
    CASES.push({ batch: 2, m: 45, n: 1, k: 70, ta, tb, sa: 0, sb: 0 });
    // Few rows and enough work to split by matrix (NT: each computed as C^T, then transposed).
    CASES.push({ batch: 3, m: 20, n: 300, k: 400, ta, tb, sa: 20 * 400, sb: 400 * 300 });
  }
}
// Empty products: k = 0 zero-fills, m or n = 0 writes nothing.
CASES.push(plain(5, 7, 0), plain(0, 7, 5), plain(5, 0, 7), { ...plain(3, 4, 0), batch: 3, sa: 9, sb: 2 });
CASES.push({ ...plain(3, 4, 5), batch: 0, sa: 7, sb: 7 });

describe.skipIf(!loaded)('native gemm', () => {
  const addon = loaded!;
  let originalIsa: Isa;
  let originalThreads: number;
  const prepared = CASES.map((c, i) => prepare(c, i + 1));
  const isas = ISA_ORDER.filter((i) => ISA_ORDER.indexOf(i) <= ISA_ORDER.indexOf(addon.bestIsa()));
  const setThreads = (n: number) => addon.setNumThreads(n);

  beforeAll(() => {
    originalIsa = addon.isa();
    originalThreads = addon.numThreads();
  });
  afterAll(() => {
    addon.setIsa(originalIsa);
    setThreads(originalThreads);
  });

  for (const isa of ISA_ORDER) {
    for (const threads of [1, 2]) {
      it.skipIf(!isas.includes(isa))(`matches a float64 reference: ${isa}, ${threads} thread(s)`, () => {
        setThreads(threads);
        addon.setIsa(isa);
        try {
          for (const p of prepared) {
            const name = `${isa}/${threads}t batch ${p.batch} ${p.m}x${p.n}x${p.k} ` +
              `${p.ta ? 'T' : 'N'}${p.tb ? 'T' : 'N'} strides ${p.sa},${p.sb}`;
            check(addon, p, name);
          }
        } finally {
          addon.setIsa(originalIsa);
        }
      });
    }
  }

  it('every ISA path and thread count gives the same bits for a large product', () => {
    const p = prepare(plain(300, 200, 700), 99);
    const results: Float32Array[] = [];
    for (const isa of isas) {
      addon.setIsa(isa);
      for (const threads of [1, 2]) {
        setThreads(threads);
        const c = new Float32Array(300 * 200);
        addon.gemm(p.a, p.b, c, 1, 300, 200, 700, false, false, 0, 0);
        results.push(c);
        check(addon, p, `${isa}/${threads}t 300x200x700`);
      }
      // Threads split tiles of C, never the sum over k: bits match across thread counts.
      expect(results[results.length - 1]).toEqual(results[results.length - 2]);
    }
    addon.setIsa(originalIsa);
  });

  it('gives the same bits on 1 and 2 threads for few rows, whose columns the threads split', () => {
    for (const m of [1, 2, 3, 4]) {
      const p = prepare(plain(m, 200, 400), 100 + m);
      for (const isa of isas) {
        addon.setIsa(isa);
        const results = [1, 2].map((threads) => {
          setThreads(threads);
          const c = new Float32Array(m * 200);
          addon.gemm(p.a, p.b, c, 1, m, 200, 400, false, false, 0, 0);
          check(addon, p, `${isa}/${threads}t ${m}x200x400`);
          return c;
        });
        expect(results[1]).toEqual(results[0]);
      }
    }
    addon.setIsa(originalIsa);
  });

  it('gives the same bits for B transposed as for B, with few rows (computed as C^T = B A^T)', () => {
    const [m, n, k] = [20, 150, 70];
    const p = prepare(plain(m, n, k), 11);
    const bT = new Float32Array(n * k);
    for (let r = 0; r < k; ++r) for (let j = 0; j < n; ++j) bT[j * k + r] = p.b[r * n + j];
    for (const isa of isas) {
      addon.setIsa(isa);
      for (const threads of [1, 2]) {
        setThreads(threads);
        const plainC = new Float32Array(m * n), transposedC = new Float32Array(m * n);
        addon.gemm(p.a, p.b, plainC, 1, m, n, k, false, false, 0, 0);
        addon.gemm(p.a, bT, transposedC, 1, m, n, k, false, true, 0, 0);
        expect(transposedC, `${isa}/${threads}t`).toEqual(plainC);
      }
    }
    addon.setIsa(originalIsa);
  });

  it('reads inputs through typed-array views with byte offsets', () => {
    const p = prepare(plain(21, 35, 19, true, false), 7);
    const aBuf = new Float32Array(p.a.length + 3);
    aBuf.set(p.a, 3);
    const bBuf = new Float32Array(p.b.length + 1);
    bBuf.set(p.b, 1);
    const c = new Float32Array(21 * 35);
    addon.gemm(aBuf.subarray(3), bBuf.subarray(1), c, 1, 21, 35, 19, true, false, 0, 0);
    for (let i = 0; i < c.length; ++i) expect(Math.abs(c[i] - p.ref[i])).toBeLessThanOrEqual(p.tol[i]);
  });

  describe('rejects bad arguments with JS errors', () => {
    const a = new Float32Array(12), b = new Float32Array(20), c = new Float32Array(15);
    // 3 x 4 times 4 x 5.
    const ok = [a, b, c, 1, 3, 5, 4, false, false, 0, 0] as const;
    const call = (...args: unknown[]) => () => (addon.gemm as unknown as (...x: unknown[]) => void)(...args);
    const withArg = (i: number, v: unknown) => {
      const args: unknown[] = [...ok];
      args[i] = v;
      return call(...args);
    };

    it('accepts the baseline call', () => {
      expect(call(...ok)).not.toThrow();
    });
    it('wrong argument count', () => {
      expect(call()).toThrow(/expected 11 arguments, got 0/);
      expect(call(...ok.slice(0, 10))).toThrow(/expected 11 arguments, got 10/);
      expect(call(...ok, 0)).toThrow(/expected 11 arguments, got 12/);
    });
    it('non-typed-array and wrongly typed operands', () => {
      expect(withArg(0, [1, 2, 3])).toThrow(/argument 0 \(a\) must be a Float32Array, got an Array/);
      expect(withArg(1, null)).toThrow(/argument 1 \(b\) must be a Float32Array, got null/);
      expect(withArg(2, 'c')).toThrow(/argument 2 \(c\) must be a Float32Array/);
      expect(withArg(0, new Float64Array(12))).toThrow(/\(a\).*got Float64Array/);
      expect(withArg(2, new Float64Array(15))).toThrow(/\(c\).*got Float64Array/);
      expect(withArg(1, new Int32Array(20))).toThrow(/\(b\) must be a Float32Array, got Int32Array/);
      expect(withArg(0, new Uint8Array(48))).toThrow(/\(a\) must be a Float32Array, got Uint8Array/);
    });
    it('short buffers', () => {
      expect(withArg(0, new Float32Array(11))).toThrow(/\(a\) is too short: needs 12 elements, has 11/);
      expect(withArg(1, new Float32Array(19))).toThrow(/\(b\) is too short: needs 20 elements, has 19/);
      expect(withArg(2, new Float32Array(14))).toThrow(/\(c\) is too short: needs 15 elements, has 14/);
      // Batched: (batch - 1) * stride + m * k for a and b, batch * m * n for c.
      expect(call(new Float32Array(12 + 2 * 13 - 1), new Float32Array(20), new Float32Array(45), 3, 3, 5, 4, false, false, 13, 0))
        .toThrow(/\(a\) is too short: needs 38 elements, has 37/);
      expect(call(new Float32Array(12), new Float32Array(20), new Float32Array(44), 3, 3, 5, 4, false, false, 0, 0))
        .toThrow(/\(c\) is too short: needs 45 elements, has 44/);
      expect(call(new Float32Array(12), new Float32Array(20 + 20), new Float32Array(45), 3, 3, 5, 4, false, false, 0, 20))
        .toThrow(/\(b\) is too short: needs 60 elements, has 40/);
    });
    it('negative, non-integer, non-numeric and huge sizes', () => {
      expect(withArg(4, -1)).toThrow(/argument 4 \(m\) must be in \[0, 9007199254740991\], got -1/);
      expect(withArg(3, -2)).toThrow(/\(batch\) must be in \[0/);
      expect(withArg(10, -1)).toThrow(/\(bBatchStride\) must be in \[0/);
      expect(withArg(5, 2.5)).toThrow(/argument 5 \(n\) must be an integer/);
      expect(withArg(6, Number.NaN)).toThrow(/\(k\) must be an integer/);
      expect(withArg(6, Infinity)).toThrow(/\(k\) must be an integer/);
      expect(withArg(9, 0.5)).toThrow(/\(aBatchStride\) must be an integer/);
      expect(withArg(4, '3')).toThrow(/\(m\) must be a number, got a string/);
      expect(withArg(7, 1)).toThrow(/\(transposeA\) must be a boolean, got a number/);
      expect(withArg(8, undefined)).toThrow(/\(transposeB\) must be a boolean, got undefined/);
      expect(withArg(4, 2 ** 53)).toThrow(/\(m\) must be in \[0, 9007199254740991\]/);
      expect(call(a, b, c, 1, 2 ** 40, 2 ** 40, 4, false, false, 0, 0)).toThrow(/more than 2\^53 - 1 elements/);
      expect(call(a, b, c, 1, 3, 5, 2 ** 40, false, false, 0, 0)).toThrow(/\(a\) is too short/);
      expect(call(a, b, c, 2 ** 30, 3, 5, 4, false, false, 2 ** 30, 0)).toThrow(/\(a\) would need more than 2\^53 - 1/);
      expect(call(a, b, c, 2 ** 52, 3, 5, 4, false, false, 0, 0)).toThrow(/\(c\) would need more than 2\^53 - 1/);
    });
    it('an output overlapping an input', () => {
      const buf = new Float32Array(40);
      expect(call(buf.subarray(0, 12), b, buf.subarray(10, 25), 1, 3, 5, 4, false, false, 0, 0))
        .toThrow(/\(c\) must not overlap a/);
      expect(call(a, buf.subarray(0, 20), buf.subarray(19, 34), 1, 3, 5, 4, false, false, 0, 0))
        .toThrow(/\(c\) must not overlap b/);
      expect(call(buf.subarray(0, 12), b, buf.subarray(12, 27), 1, 3, 5, 4, false, false, 0, 0)).not.toThrow();
    });
    it('leaves c untouched when it throws', () => {
      const out = new Float32Array(15).fill(7);
      expect(call(new Float32Array(11), b, out, 1, 3, 5, 4, false, false, 0, 0)).toThrow();
      expect(Array.from(out)).toEqual(new Array(15).fill(7));
    });
  });
});
