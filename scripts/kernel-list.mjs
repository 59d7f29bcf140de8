// Regenerates docs/KERNELS.md from the kernel registry (run after `npm run build:ts`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { kernelTable } from '../dist/backend/kernel_table.js';

mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
writeFileSync(new URL('../docs/KERNELS.md', import.meta.url), kernelTable());
console.log('wrote docs/KERNELS.md');
