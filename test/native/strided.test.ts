import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/backend/native/addon.js';

const addon = loadAddon().addon;

describe.skipIf(!addon && !process.env.CI)('native stridedCopy, select and oneHot entry points', () => {
  it('copies strided blocks (broadcast, tile, pad) for every element type', () => {
    const x = new Float32Array([1, 2, 3]);
    const out = new Float32Array(6);
    addon!.stridedCopy(x, 0, [0, 1], out, 0, [3, 1], [2, 3]);
    expect(Array.from(out)).toEqual([1, 2, 3, 1, 2, 3]);
    const padded = new Uint8Array(5);
    addon!.stridedCopy(new Uint8Array([7, 8]), 0, [1], padded, 2, [1], [2]);
    expect(Array.from(padded)).toEqual([0, 0, 7, 8, 0]);
  });

  it('rejects blocks that reach past either buffer, mismatched types and bad strides', () => {
    const x = new Float32Array(3);
    const out = new Float32Array(6);
    expect(() => addon!.stridedCopy(x, 1, [1], out, 0, [1], [3])).toThrow(/x\) is too short for the block: the strides reach element 3, but it has 3 elements/);
    expect(() => addon!.stridedCopy(x, 0, [0, 1], out, 1, [3, 1], [2, 3])).toThrow(/out\) is too short/);
    expect(() => addon!.stridedCopy(x, 0, [1], new Int32Array(3), 0, [1], [3])).toThrow(/must be a Float32Array like x/);
    expect(() => addon!.stridedCopy(x, 0, [-1], out, 0, [1], [3])).toThrow(/invalid entry/);
    expect(() => addon!.stridedCopy(x, 0, [1, 1], out, 0, [1], [3])).toThrow(/must have 1 entries/);
    expect(() => addon!.stridedCopy(x, 0, [2 ** 52], out, 0, [1], [2 ** 20])).toThrow(/addressed past|too short/);
  });

  it('select and oneHot validate lengths and types', () => {
    const out = new Int32Array(3);
    addon!.select(new Uint8Array([1, 0, 1]), new Int32Array([1, 2, 3]), new Int32Array([4, 5, 6]), out, 3);
    expect(Array.from(out)).toEqual([1, 5, 3]);
    expect(() => addon!.select(new Uint8Array(2), new Int32Array(3), new Int32Array(3), out, 3)).toThrow(/cond\) is too short/);
    expect(() => addon!.select(new Uint8Array(3), new Int32Array(3), new Float32Array(3), out, 3)).toThrow(/must be a Int32Array like x|must be a Int32Array/);
    const hot = new Int32Array(6);
    addon!.oneHot(new Int32Array([2, 5]), 2, 3, hot);
    expect(Array.from(hot)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(() => addon!.oneHot(new Int32Array([2, 5]), 2, 3, new Int32Array(5))).toThrow(/out\) is too short/);
  });
});
