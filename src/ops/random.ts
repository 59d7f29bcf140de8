/**
 * Seeded random tensors. Numbers are always drawn in JS (xoshiro128**, seeded through
 * splitmix32) and uploaded, so a seed gives the same values on every backend.
 */
import type { Tensor } from '../tensor.js';
import { assertDType, type DType } from '../types.js';
import { checkShape, makeTensor } from './convert.js';
import { sizeOf } from '../shape.js';

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      // splitmix32: spreads one 32-bit seed over the 128-bit state.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 24 random bits (exactly representable in float32). */
  uniform(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal by the Box-Muller transform. */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log(u1) is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let globalRandom = new Random((Math.random() * 2 ** 32) >>> 0);

/** Makes every later unseeded random op deterministic. */
export function setSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new TypeError(`setSeed: seed must be a finite number, got ${seed}`);
  globalRandom = new Random(Math.trunc(seed));
}

/** The generator for one call: a fresh one for an explicit seed, else the global stream. */
export function generatorFor(seed: number | undefined, where: string): Random {
  if (seed === undefined) return globalRandom;
  if (!Number.isFinite(seed)) throw new TypeError(`${where}: seed must be a finite number, got ${seed}`);
  return new Random(Math.trunc(seed));
}

export function randomNormal(shape: number[], mean = 0, stdDev = 1, seed?: number, dtype: DType = 'float32'): Tensor {
  const s = checkShape(shape, 'randomNormal');
  assertDType(dtype, 'randomNormal');
  if (!(stdDev >= 0)) throw new RangeError(`randomNormal: stdDev must be >= 0, got ${stdDev}`);
  const rng = generatorFor(seed, 'randomNormal');
  const values = new Float32Array(sizeOf(s));
  for (let i = 0; i < values.length; i++) values[i] = mean + stdDev * rng.normal();
  return makeTensor(values, s, dtype, undefined, 'randomNormal');
}

export function randomUniform(shape: number[], minval = 0, maxval = 1, seed?: number, dtype: DType = 'float32'): Tensor {
  const s = checkShape(shape, 'randomUniform');
  assertDType(dtype, 'randomUniform');
  if (!(maxval >= minval)) throw new RangeError(`randomUniform: maxval (${maxval}) must be >= minval (${minval})`);
  const rng = generatorFor(seed, 'randomUniform');
  const values = new Float32Array(sizeOf(s));
  for (let i = 0; i < values.length; i++) values[i] = minval + (maxval - minval) * rng.uniform();
  return makeTensor(values, s, dtype, undefined, 'randomUniform');
}
