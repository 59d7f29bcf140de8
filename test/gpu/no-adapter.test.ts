/**
 * Without a WebGPU adapter (here: Vulkan pointed at no driver), `backends()` leaves gpu out and
 * `setBackend('gpu')` says what is missing; the rest of the library works. Runs the built
 * package in a child process, since a process opens its gpu device once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('without an adapter, gpu is left out of backends() and setBackend explains why', () => {
  const entry = new URL('../../dist/index.js', import.meta.url);
  expect(existsSync(entry), 'dist/ is missing: run `npm run build:ts`').toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'edgetensor-no-adapter-'));
  const script = join(dir, 'probe.mjs');
  writeFileSync(script, `
    import * as et from ${JSON.stringify(entry.href)};
    let error = null;
    try { et.setBackend('gpu'); } catch (e) { error = e.message; }
    et.setBackend('js');
    console.log(JSON.stringify({ backends: et.backends(), error, sum: Array.from(et.add([1, 2], [3, 4]).dataSync()) }));
  `);
  try {
    const run = spawnSync(process.execPath, [script], {
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent.json', VK_DRIVER_FILES: '/nonexistent.json' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(result.backends).not.toContain('gpu');
    expect(result.backends).toContain('js');
    expect(result.error).toMatch(/backend 'gpu' is not available: no WebGPU device \(Dawn found no adapter/);
    expect(result.error).toMatch(/mesa-vulkan-drivers/);
    expect(result.sum).toEqual([4, 6]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
