import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { loadAddon } from '../../src/backend/native/addon.js';

const { addon, file: addonFile } = loadAddon();
const onGlibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);

/**
 * Loads the addon in a fresh process with `env` (no malloc settings of ours or the user's
 * otherwise), copies a 256 KiB array 2,048 times, as readbacks do, and reports the page faults
 * per copy once warm.
 */
function readbackFaults(env: Record<string, string>): { retains: boolean; faultsPerCopy: number } {
  const script = `
    const addon = require(${JSON.stringify(addonFile)});
    const source = new Float32Array(65536).fill(1);
    let sink = 0;
    const copies = (n) => { for (let i = 0; i < n; i++) sink += source.slice()[i & 65535]; };
    copies(1024);
    const before = process.resourceUsage().minorPageFault;
    copies(2048);
    console.log(JSON.stringify({ retains: addon.retainsFreedHeap, faultsPerCopy: (process.resourceUsage().minorPageFault - before) / 2048 }));`;
  const { MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_, GLIBC_TUNABLES, ...rest } = process.env;
  const run = spawnSync(process.execPath, ['-e', script], { env: { ...rest, ...env }, encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

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

  it.skipIf(!onGlibc)('keeps freed memory for reuse, so readbacks do not fault in fresh pages, unless the user set malloc up', () => {
    const retained = readbackFaults({});
    expect(retained.retains).toBe(true);
    // 64 pages a copy when every copy gets fresh memory; a warm heap faults almost never.
    expect(retained.faultsPerCopy).toBeLessThan(4);
    const userTuned = readbackFaults({ MALLOC_TRIM_THRESHOLD_: '131072' });
    expect(userTuned.retains).toBe(false);
    expect(userTuned.faultsPerCopy).toBeGreaterThan(32);
    expect(readbackFaults({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=131072' }).retains).toBe(false);
  });

  it('the runtime entry points reject bad arguments instead of crashing', () => {
    expect(() => addon!.setNumThreads('2' as never)).toThrow(/must be a number/);
    expect(() => addon!.setNumThreads(2.5)).toThrow(/must be an integer/);
    expect(() => (addon!.isa as (x: number) => string)(1)).toThrow(/expected 0 arguments/);
  });
});
