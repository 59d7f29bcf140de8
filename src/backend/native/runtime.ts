/** Controls of the native addon: its thread pool and the instruction set its kernels use. */
import { warnOnce } from '../../util/warn.js';
import { ADDON_BUILD_HINT, loadAddon, type Isa, type NativeAddon } from './addon.js';

function addonOrNull(what: string): NativeAddon | null {
  const { addon, error } = loadAddon();
  if (!addon) warnOnce(`runtime-${what}`, `${what}: the native addon is not loaded (${error}); ${ADDON_BUILD_HINT}`);
  return addon;
}

/** Sets the native thread pool's size (default: the cores this process may use). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new RangeError(`setNumThreads: n must be an integer in [1, 1024], got ${n}`);
  addonOrNull('setNumThreads')?.setNumThreads(n);
}

/** The native pool's size (1 without the addon). */
export function getNumThreads(): number {
  return loadAddon().addon?.numThreads() ?? 1;
}

/** The instruction set the native kernels dispatch on ('avx512' | 'avx2' | 'scalar'), or null without the addon. */
export function getIsa(): Isa | null {
  return loadAddon().addon?.isa() ?? null;
}

/** The best instruction set this CPU supports, or null without the addon. */
export function getBestIsa(): Isa | null {
  return loadAddon().addon?.bestIsa() ?? null;
}

const ISAS: readonly Isa[] = ['avx512', 'avx2', 'scalar'];

/** Forces a lower instruction-set path (as EDGETENSOR_ISA does at start-up). */
export function setIsa(isa: Isa): Isa {
  if (!ISAS.includes(isa)) throw new RangeError(`setIsa: unknown ISA ${JSON.stringify(isa)}; expected one of ${ISAS.map((i) => `'${i}'`).join(', ')}`);
  const addon = loadAddon().addon;
  if (!addon) throw new Error(`setIsa: the native addon is not loaded (${loadAddon().error}); ${ADDON_BUILD_HINT}`);
  return addon.setIsa(isa);
}
