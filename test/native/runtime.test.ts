import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { loadAddon } from '../../src/backend/native/addon.js';

const addon = loadAddon().addon;

describe.skipIf(!addon && !process.env.CI)('native runtime controls', () => {
  it('resizes the thread pool and computes the same result at every size', () => {
    et.setBackend('native');
    const a = et.randomUniform([300, 200], -1, 1, 1);
    const b = et.randomUniform([200, 100], -1, 1, 2);
    const original = et.getNumThreads();
    const results = [1, 2, 3].map((n) => {
      et.setNumThreads(n);
      expect(et.getNumThreads()).toBe(n);
      return Array.from(et.matMul(a, b).dataSync());
    });
    et.setNumThreads(original);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(() => et.setNumThreads(0)).toThrow(/integer in \[1, 1024\]/);
  });

  it('switches ISA paths only downwards and names the allowed values', () => {
    const best = et.getBestIsa()!;
    expect(['avx512', 'avx2', 'scalar']).toContain(best);
    expect(et.setIsa('scalar')).toBe('scalar');
    expect(et.getIsa()).toBe('scalar');
    expect(et.setIsa(best)).toBe(best);
    expect(() => et.setIsa('sse' as never)).toThrow(/'avx512', 'avx2', 'scalar'/);
    if (best !== 'avx512') expect(() => et.setIsa('avx512')).toThrow(/not supported by this CPU/);
  });

  it('the runtime entry points reject bad arguments instead of crashing', () => {
    expect(() => addon!.setNumThreads('2' as never)).toThrow(/must be a number/);
    expect(() => addon!.setNumThreads(2.5)).toThrow(/must be an integer/);
    expect(() => (addon!.isa as (x: number) => string)(1)).toThrow(/expected 0 arguments/);
  });
});
