import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  delete process.env.EDGETENSOR_ADDON;
  delete process.env.EDGETENSOR_BACKEND;
  vi.resetModules();
  vi.restoreAllMocks();
});

it('without the addon, the library runs on js and says once how to build the addon', async () => {
  process.env.EDGETENSOR_ADDON = '/nonexistent/edgetensor.node';
  vi.resetModules();
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const et = await import('../src/index.js');
  expect(et.backends()).not.toContain('native');
  expect(et.backends()).toContain('js');
  expect(et.getBackend()).toBe('js');
  expect(Array.from(et.matMul([[1, 2]], [[3], [4]]).dataSync())).toEqual([11]);
  et.add(1, 2);
  const messages = warn.mock.calls.map((c) => String(c[0]));
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatch(/js backend.*\/nonexistent\/edgetensor\.node does not exist.*npm run build:native/);
  expect(() => et.setBackend('native')).toThrow(/backend 'native' is not available.*npm run build:native/);
});

it('EDGETENSOR_BACKEND picks the backend and is validated', async () => {
  process.env.EDGETENSOR_BACKEND = 'js';
  vi.resetModules();
  let et = await import('../src/index.js');
  expect(et.getBackend()).toBe('js');
  process.env.EDGETENSOR_BACKEND = 'tpu';
  vi.resetModules();
  et = await import('../src/index.js');
  expect(() => et.getBackend()).toThrow(/unknown backend "tpu"/);
});

it('require() loads the same API from the built package', () => {
  const entry = new URL('../dist/index.cjs', import.meta.url);
  expect(existsSync(entry), 'dist/ is missing: run `npm run build:ts`').toBe(true);
  const et = createRequire(import.meta.url)(entry.pathname);
  expect(typeof et.tensor).toBe('function');
  expect(et.tensor([1, 2]).add(1).arraySync()).toEqual([2, 3]);
});
