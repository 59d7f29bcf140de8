/** Shared by the addon entry-point tests: the addon, the ISA paths this CPU has, a seeded RNG. */
import { afterAll } from 'vitest';
import { ADDON_BUILD_HINT, loadAddon, type Isa, type NativeAddon } from '../../src/backend/native/addon.js';

function requireAddon(): NativeAddon {
  const { addon, error } = loadAddon();
  if (!addon) throw new Error(`these tests call the native addon directly, but it did not load (${error}); ${ADDON_BUILD_HINT}`);
  return addon;
}

export const addon = requireAddon();

const ORDER: Isa[] = ['scalar', 'avx2', 'avx512'];
/** Every ISA path this CPU supports, lowest first. */
export const ISAS = ORDER.slice(0, ORDER.indexOf(addon.bestIsa()) + 1);

/** Puts the ISA back as it was once the file's tests are done. */
export function restoreIsaAfterAll(): void {
  const initialIsa = addon.isa();
  afterAll(() => {
    addon.setIsa(initialIsa);
  });
}

/** A seeded uniform [0, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
