/**
 * The native unsortedSegmentSum entry point against a plain JS reference on every ISA path this
 * CPU has, on one thread and on several (blocks of segments dealt out), plus argument validation.
 * The kernel adds rows in increasing order on any split and without FMA, so it must match a
 * float32 sum in that order bit for bit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addon, ISAS, restoreIsaAfterAll, rng } from './addon_helpers.js';

restoreIsaAfterAll();
const initialThreads = addon.numThreads();
afterAll(() => {
  addon.setNumThreads(initialThreads);
});

type Kind = 'float32' | 'int32';

/** n rows of inner values: floats in [-3, 3), or int32s spread over the whole range (sums wrap). */
function rowsOf(kind: Kind, count: number, seed: number): Float32Array | Int32Array {
  const r = rng(seed);
  return kind === 'float32'
    ? Float32Array.from({ length: count }, () => -3 + 6 * r())
    : Int32Array.from({ length: count }, () => Math.floor((r() - 0.5) * 2 ** 32));
}

function reference(x: Float32Array | Int32Array, ids: Int32Array, inner: number, numSegments: number): Float32Array | Int32Array {
  const out = x instanceof Float32Array ? new Float32Array(numSegments * inner) : new Int32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    for (let c = 0; c < inner; c++) out[ids[i] * inner + c] += x[i * inner + c];
  }
  return out;
}

/** [n, inner, numSegments, how the ids are drawn]: tails past every vector width, serial and threaded. */
const CASES: [number, number, number, 'uniform' | 'one id' | 'low ids'][] = [
  [0, 5, 3, 'uniform'],
  [7, 0, 4, 'uniform'],
  [7, 1, 4, 'uniform'],
  [5, 17, 9, 'uniform'],
  [33, 300, 6, 'uniform'],
  [1000, 300, 50, 'uniform'], // four blocks of 16 segments across threads, the last one short
  [1000, 300, 1, 'one id'], // too few segments to deal out: one thread
  [20000, 16, 3000, 'uniform'],
  [20000, 16, 3000, 'one id'], // every row lands in one thread's block
  [4096, 64, 50000, 'low ids'], // an embedding table's gradient, its output mostly zeros
  [70000, 1, 7, 'uniform'],
];

function idsFor(n: number, numSegments: number, how: string, seed: number): Int32Array {
  const r = rng(seed);
  if (how === 'one id') return new Int32Array(n).fill(numSegments - 1);
  // 'low ids': a vocabulary sorted by frequency, most rows in its first few hundred ids.
  return Int32Array.from({ length: n }, () => Math.floor(numSegments * (how === 'low ids' ? r() ** 4 : r())));
}

describe.each(ISAS)('unsortedSegmentSum on %s', (isa) => {
  it.each(['float32', 'int32'] as Kind[])('%s, one thread and every core, every shape', (kind) => {
    addon.setIsa(isa);
    for (const threads of [1, addon.availableCores()]) {
      addon.setNumThreads(threads);
      for (const [n, inner, numSegments, how] of CASES) {
        const x = rowsOf(kind, n * inner, n + inner);
        const ids = idsFor(n, numSegments, how, numSegments);
        const out = kind === 'float32' ? new Float32Array(numSegments * inner).fill(NaN) : new Int32Array(numSegments * inner).fill(7);
        addon.unsortedSegmentSum(x, ids, inner, numSegments, out);
        const want = reference(x, ids, inner, numSegments);
        const at = out.findIndex((v, i) => !Object.is(v, want[i]));
        if (at >= 0) expect.fail(`[${n}, ${inner}] into ${numSegments} (${how}) on ${threads} threads: element ${at} is ${out[at]}, want ${want[at]}`);
      }
    }
  });
});

describe('unsortedSegmentSum argument validation', () => {
  const x = new Float32Array(12);
  const out = new Float32Array(8).fill(5);
  const ids = Int32Array.from([0, 1, 1, 3]);
  it('checks every argument, and writes nothing when one is wrong', () => {
    expect(() => addon.unsortedSegmentSum(x, ids, 3, 4)).toThrow(/unsortedSegmentSum: expected 5 arguments, got 4/);
    expect(() => addon.unsortedSegmentSum(x, Int32Array.from([0, 4, 1, 2]), 3, 4, new Float32Array(12))).toThrow(
      /segmentIds\) has segment id 4 at position 1, outside the range \[0, 4\)/,
    );
    expect(() => addon.unsortedSegmentSum(x, Int32Array.from([0, 1, -1, 2]), 2, 4, out)).toThrow(/has segment id -1 at position 2/);
    expect(Array.from(out)).toEqual(new Array(8).fill(5));
    expect(() => addon.unsortedSegmentSum(x, [0, 1, 1, 3] as unknown as Int32Array, 3, 4, out)).toThrow(/segmentIds\) must be an Int32Array, got an Array/);
    expect(() => addon.unsortedSegmentSum(x, Float32Array.from(ids) as unknown as Int32Array, 3, 4, out)).toThrow(/must be an Int32Array, got Float32Array/);
    expect(() => addon.unsortedSegmentSum(x, ids, 4, 4, new Float32Array(16))).toThrow(/x\) is too short: needs 16 elements, has 12/);
    expect(() => addon.unsortedSegmentSum(x, ids, 3, 4, new Float32Array(11))).toThrow(/out\) is too short: needs 12 elements, has 11/);
    expect(() => addon.unsortedSegmentSum(x, ids, 3, 4, new Int32Array(12))).toThrow(/out\) must be a Float32Array like x, got Int32Array/);
    expect(() => addon.unsortedSegmentSum(new Uint8Array(12), ids, 3, 4, new Uint8Array(12))).toThrow(/x\) must be a Float32Array or an Int32Array, got Uint8Array/);
    expect(() => addon.unsortedSegmentSum(x, ids, 1.5, 4, out)).toThrow(/inner\) must be an integer/);
    expect(() => addon.unsortedSegmentSum(x, ids, 3, -1, out)).toThrow(/numSegments\) must be in \[0, /);
    expect(() => addon.unsortedSegmentSum(x, ids, 3, 2 ** 60, out)).toThrow(/numSegments\) must be in \[0, /);
    expect(() => addon.unsortedSegmentSum(x, ids, 3, 4.5, out)).toThrow(/numSegments\) must be an integer, got 4.5/);
    expect(() => addon.unsortedSegmentSum(x, ids, 2 ** 40, 2 ** 20, out)).toThrow(/numSegments\) describes too many elements/);
  });
});
