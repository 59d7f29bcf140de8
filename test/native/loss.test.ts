import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/backend/native/addon.js';

const addon = loadAddon().addon;

describe.skipIf(!addon && !process.env.CI)('native sparseSoftmaxCrossEntropy entry point', () => {
  const logits = new Float32Array([1, 2, 3, 4, 5, 6]);
  const loss = new Float32Array(2);
  const grad = new Float32Array(6);

  it('checks labels and buffers before writing anything', () => {
    expect(() => addon!.sparseSoftmaxCrossEntropy(logits, new Int32Array([0, 3]), loss, grad, 2, 3, false)).toThrow(/holds 3 at position 1, outside the classes \[0, 2\]/);
    expect(() => addon!.sparseSoftmaxCrossEntropy(logits, new Int32Array([-1, 0]), loss, grad, 2, 3, false)).toThrow(/holds -1 at position 0/);
    expect(() => addon!.sparseSoftmaxCrossEntropy(logits, new Int32Array([0]), loss, grad, 2, 3, false)).toThrow(/labels\) is too short/);
    expect(() => addon!.sparseSoftmaxCrossEntropy(logits, new Int32Array([0, 1]), loss, new Float32Array(5), 2, 3, false)).toThrow(/grad\) is too short/);
    expect(() => addon!.sparseSoftmaxCrossEntropy(logits, new Float32Array([0, 1]) as never, loss, grad, 2, 3, false)).toThrow(/must be an Int32Array/);
    expect(() => addon!.sparseSoftmaxCrossEntropy(logits, new Int32Array(2), new Float32Array(2), new Float32Array(0), 2, 0, false)).toThrow(/at least 1/);
    expect(Array.from(loss)).toEqual([0, 0]);
    expect(Array.from(grad)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
