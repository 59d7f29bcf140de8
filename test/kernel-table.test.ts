import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { kernelTable } from '../src/backend/kernel_table.js';

it('docs/KERNELS.md is the generated kernel table (run `npm run kernels:list` after adding a kernel)', () => {
  const doc = readFileSync(new URL('../docs/KERNELS.md', import.meta.url), 'utf8');
  expect(doc).toBe(kernelTable());
});
