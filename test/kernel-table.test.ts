import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { kernelTable } from '../src/backend/kernel_table.js';
import { backends } from '../src/index.js';

// The table has a column per usable backend, so it is only comparable where the addon loads.
it.skipIf(!backends().includes('native'))('docs/KERNELS.md is the generated kernel table (run `npm run kernels:list` after adding a kernel)', () => {
  const doc = readFileSync(new URL('../docs/KERNELS.md', import.meta.url), 'utf8');
  expect(doc).toBe(kernelTable());
});
