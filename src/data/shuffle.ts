/**
 * Seeded index permutations. Drawn in JS from the engine's Random (xoshiro128**), so a seed
 * gives the same order on every backend; without a seed the global stream is used (et.setSeed).
 */
import { generatorFor, Random } from '../ops/random.js';

/** A uniform integer in [0, n) without modulo bias (n <= 2^32). */
export function randomInt(rng: Random, n: number): number {
  const limit = Math.floor(4294967296 / n) * n;
  for (;;) {
    const r = rng.nextUint32();
    if (r < limit) return r % n;
  }
}

/** Shuffles `indices` in place (Fisher-Yates) and returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(indices: T, rng: Random): T {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}

/**
 * A random permutation of 0..n-1. `seed`: a number (the same permutation every call), a Random
 * (drawn from that stream), or undefined (the global stream).
 */
export function permutation(n: number, seed?: number | Random): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`permutation: n must be a non-negative integer, got ${n}`);
  const rng = seed instanceof Random ? seed : generatorFor(seed, 'permutation');
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return shuffleInPlace(out, rng);
}

/** The seed of epoch `epoch` of a seeded run: a hash of both, so epochs differ yet reproduce. */
export function epochSeed(seed: number, epoch: number): number {
  let h = Math.imul((Math.trunc(seed) >>> 0) ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (Math.trunc(epoch) >>> 0), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
