/**
 * Shared test plumbing: the targets every conformance case runs on (js, and native on every
 * ISA path this CPU has), and comparisons against the js oracle.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import * as et from '../src/index.js';
import type { Isa } from '../src/backend/native/addon.js';
import { withJsFloat64Reference } from '../src/backend/js/precision.js';

export interface Target {
  name: string;
  backend: et.BackendName;
  isa?: Isa;
  /**
   * Infinities and NaN are not guaranteed: WGSL lets shader compilers assume they never occur
   * (the gpu backend's documented contract is finite inputs, finite results).
   */
  finiteMathOnly?: boolean;
}

const ISA_ORDER: Isa[] = ['avx512', 'avx2', 'scalar'];

function nativeTargets(): Target[] {
  if (!et.backends().includes('native')) {
    if (process.env.CI) throw new Error('CI must test the native backend, but the addon did not load: run `npm run build:native`');
    console.warn('native backend unavailable: its conformance cases are skipped (build it with `npm run build:native`)');
    return [];
  }
  const best = et.getBestIsa()!;
  return ISA_ORDER.slice(ISA_ORDER.indexOf(best)).map((isa) => ({ name: `native/${isa}`, backend: 'native' as const, isa }));
}

const GPU_TARGET: Target = { name: 'gpu', backend: 'gpu', finiteMathOnly: true };

/** Why there is no WebGPU adapter here (null where there is one); CI must have one (a software Vulkan driver). */
function gpuUnavailableReason(): string | null {
  if (et.backends().includes('gpu')) return null;
  const previous = et.getBackend();
  let reason = 'unknown';
  try {
    et.setBackend('gpu');
  } catch (e) {
    reason = (e as Error).message;
  } finally {
    et.setBackend(previous);
  }
  if (process.env.CI) throw new Error(`CI must test the gpu backend, but ${reason}`);
  console.warn(`gpu backend unavailable, its cases are skipped: ${reason}`);
  return reason;
}

const GPU_UNAVAILABLE = gpuUnavailableReason();

/** Every backend (and native ISA path) the conformance suite runs on, js first. */
export const TARGETS: Target[] = [{ name: 'js', backend: 'js' }, ...nativeTargets(), ...(GPU_UNAVAILABLE === null ? [GPU_TARGET] : [])];

/**
 * A suite of gpu-only tests, run with the gpu backend active. Without an adapter its tests are
 * still collected, and reported skipped under a title that says why (a file with no suite at all
 * fails the run).
 */
export function describeGpu(title: string, body: () => void): void {
  if (GPU_UNAVAILABLE !== null) {
    describe.skip(`${title} (skipped: ${GPU_UNAVAILABLE})`, body);
    return;
  }
  describe(title, () => {
    useTarget(GPU_TARGET);
    body();
  });
}

/** Makes `target` the active backend / ISA for the tests of the enclosing describe. */
export function useTarget(target: Target): void {
  let previousIsa: Isa | null = null;
  beforeAll(() => {
    et.setBackend(target.backend);
    if (target.isa) {
      previousIsa = et.getIsa();
      et.setIsa(target.isa);
    }
  });
  afterAll(() => {
    if (previousIsa) et.setIsa(previousIsa);
  });
}

/** Runs fn with the js backend active (the oracle) and returns its result's values. */
export function oracle(fn: () => et.Tensor): { values: number[]; shape: number[]; dtype: et.DType } {
  const previous = et.getBackend();
  et.setBackend('js');
  try {
    return snapshot(fn());
  } finally {
    et.setBackend(previous);
  }
}

export function snapshot(t: et.Tensor): { values: number[]; shape: number[]; dtype: et.DType } {
  return { values: Array.from(t.dataSync()), shape: t.shape.slice(), dtype: t.dtype };
}

/** Same shape and dtype, and values within atol + rtol * |expected| (NaN matches NaN). */
export function expectClose(actual: et.Tensor, expected: { values: number[]; shape: number[]; dtype?: et.DType }, rtol = 1e-6, atol = 1e-6): void {
  expect(actual.shape).toEqual(expected.shape);
  if (expected.dtype) expect(actual.dtype).toBe(expected.dtype);
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(expected.values.length);
  for (let i = 0; i < got.length; i++) {
    const e = expected.values[i];
    const g = got[i];
    if (Number.isNaN(e)) {
      if (!Number.isNaN(g)) expect.fail(`element ${i}: expected NaN, got ${g}`);
    } else if (!Number.isFinite(e)) {
      if (g !== e) expect.fail(`element ${i}: expected ${e}, got ${g}`);
    } else if (!(Math.abs(g - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`element ${i} of ${got.length}: expected ${e}, got ${g} (|diff| ${Math.abs(g - e)} > ${atol} + ${rtol} * |expected|)`);
    }
  }
}

/** Deterministic float32 data in [lo, hi). */
export function seeded(shape: number[], seed: number, lo = -1, hi = 1): Float32Array {
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

/**
 * fn evaluated on js in the float64 reference mode, its float32 values then rounded once: the
 * correctly rounded float32 result (an overflow is ±Infinity, as a float32 kernel gives it).
 * Only for the js target: the tensors fn makes keep Float64Array storage.
 */
function float64Oracle(fn: () => et.Tensor): { values: number[]; shape: number[]; dtype: et.DType } {
  const expected = snapshot(withJsFloat64Reference(fn));
  if (expected.dtype === 'float32') expected.values = expected.values.map(Math.fround);
  return expected;
}

/**
 * Runs the case on the oracle and on the active target and compares the results. On js the
 * oracle is the float64 evaluation, since js's float32 run would only be compared with itself.
 */
export function matchesOracle(fn: () => et.Tensor, rtol = 1e-6, atol = 1e-6): et.Tensor {
  const expected = et.getBackend() === 'js' ? float64Oracle(fn) : oracle(fn);
  const actual = fn();
  expectClose(actual, expected, rtol, atol);
  return actual;
}
