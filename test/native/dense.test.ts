/**
 * The fused dense entry points (denseForward / denseBackward) called directly: argument
 * checks before any write, and large shapes (threaded GEMM and epilogue) against the js
 * kernels on every ISA. The op-level behaviour is in test/conformance/fused_matmul.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { registerJsKernels } from '../../src/backend/js/index.js';
import { FUSED_ACTIVATIONS } from '../../src/backend/kernel.js';
import { findKernel } from '../../src/backend/registry.js';
import { seeded } from '../helpers.js';
import { ISAS, addon, restoreIsaAfterAll } from './addon_helpers.js';

const RELU = FUSED_ACTIVATIONS.indexOf('relu');
const LEAKY = FUSED_ACTIVATIONS.indexOf('leakyRelu');

function jsKernel(name: string, inputs: Float32Array[], shapes: number[][], attrs: Record<string, unknown>) {
  registerJsKernels();
  const out = findKernel(name, 'js')!.kernelFunc(inputs.map((data, i) => ({ shape: shapes[i], dtype: 'float32' as const, data })), attrs);
  return (Array.isArray(out) ? out : [out]).map((t) => t.data as Float32Array);
}

function expectNear(actual: Float32Array, expected: Float32Array, tol: number, what: string): void {
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])))) expect.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('native dense entry points', () => {
  restoreIsaAfterAll();
  const [m, n, k] = [3, 4, 5];
  const a = seeded([m * k], 1);
  const b = seeded([k * n], 2);
  const bias = seeded([n], 3);

  it('checks every argument before writing', () => {
    const y = new Float32Array(m * n);
    expect(() => addon.denseForward(a, b, bias, y, m, n, k, false, false, 7, 0)).toThrow(/activation.*\[0, 6\]/);
    expect(() => addon.denseForward(a, b, bias, y, m, n, k, false, false, LEAKY, -0.1)).toThrow(/alpha.*>= 0/);
    expect(() => addon.denseForward(a, b, new Float32Array(3), y, m, n, k, false, false, RELU, 0)).toThrow(/bias.*too short/);
    expect(() => addon.denseForward(a, b, bias, new Float32Array(11), m, n, k, false, false, RELU, 0)).toThrow(/y.*too short/);
    expect(() => addon.denseForward(a.subarray(0, 14), b, bias, y, m, n, k, false, false, RELU, 0)).toThrow(/a.*too short/);
    expect(() => addon.denseForward(a, b, bias, a, 1, 1, 1, false, false, RELU, 0)).toThrow(/must not overlap a/);
    expect(Array.from(y)).toEqual(new Array(m * n).fill(0));

    const dy = seeded([m * n], 4);
    const da = new Float32Array(m * k);
    expect(() => addon.denseBackward(dy, a, b, y, da, null, null, m, n, k, false, false, RELU, 0)).not.toThrow();
    expect(() => addon.denseBackward(dy, a, b, y, new Float32Array(2), null, null, m, n, k, false, false, RELU, 0)).toThrow(/da.*too short/);
    expect(() => addon.denseBackward(dy, a, b, y, null, null, dy, m, n, k, false, false, RELU, 0)).toThrow(/dbias.*must not overlap dy/);
    const shared = new Float32Array(k * n);
    expect(() => addon.denseBackward(dy, a, b, y, shared, shared, null, m, n, k, false, false, RELU, 0)).toThrow(/db.*must not overlap da/);
    expect(() => addon.denseBackward(dy, a, b, y, null, null, null, m, n, k, false, false, -1, 0)).toThrow(/activation/);
  });

  it('denseStack checks every argument before writing', () => {
    const dims = new Int32Array([k, n, 2]);
    const acts = new Int32Array([RELU, 7]);
    const alphas = new Float32Array([0, 0]);
    const w2 = seeded([n * 2], 5);
    const y = new Float32Array(m * 2);
    const call = (over: Partial<{ x: Float32Array; y: Float32Array; m: number; dims: Int32Array; acts: Int32Array; alphas: Float32Array; w1: Float32Array }> = {}) =>
      addon.denseStack(over.x ?? a, over.y ?? y, over.m ?? m, over.dims ?? dims, over.acts ?? acts, over.alphas ?? alphas, over.w1 ?? b, bias, w2, null);
    expect(() => (addon.denseStack as (...args: unknown[]) => void)(a, y, m, dims, acts, alphas, b)).toThrow(/expected x, y, m, dims, activations, alphas and a \(kernel, bias\) pair per layer, got 7 arguments/);
    expect(() => call({ dims: new Int32Array([k, 0, 2]) })).toThrow(/dims.*sizes >= 1, got 0 at 1/);
    expect(() => call({ dims: new Int32Array([k, n]) })).toThrow(/dims.*too short/);
    expect(() => call({ acts: new Int32Array([RELU, 8]) })).toThrow(/activations.*\[0, 7\], got 8 for layer 1/);
    expect(() => call({ acts: new Int32Array([LEAKY, 7]), alphas: new Float32Array([-1, 0]) })).toThrow(/alpha.*>= 0/);
    expect(() => call({ w1: b.subarray(1) })).toThrow(/argument 6 \(kernel\) is too short: needs 20 elements, has 19/);
    expect(() => call({ x: a.subarray(1) })).toThrow(/x.*too short/);
    expect(() => call({ y: new Float32Array(5) })).toThrow(/y.*too short/);
    expect(() => call({ y: a.subarray(0, 6) })).toThrow(/y.*must not overlap x/);
    expect(Array.from(y)).toEqual(new Array(m * 2).fill(0));
    call();
    for (let r = 0; r < m; r++) expect(y[2 * r] + y[2 * r + 1]).toBeCloseTo(1, 6);
  });

  it.each(ISAS)('takes each activation gradient from the output, lane by lane, on %s', (isa) => {
    addon.setIsa(isa);
    // One row, so dbias is dz itself; 37 columns leave a tail past whole vectors of 8 and 16.
    // y holds the branch points (0, -0, 6) and values either side of them.
    const edges = [0, -0, 6, 5.999, 6.001, -0.5, 0.25, 1e-30, -1e-30, 3, -7];
    const y = Float32Array.from({ length: 37 }, (_, i) => (i < edges.length ? edges[i] : Math.sin(i) * 4));
    const dy = seeded([37], 9, -2, 2);
    const alpha = Math.fround(0.2);
    const f = Math.fround;
    const derivative: Record<string, (v: number) => number> = {
      relu: (v) => (v > 0 ? 1 : 0),
      relu6: (v) => (v > 0 && v < 6 ? 1 : 0),
      leakyRelu: (v) => (v > 0 ? 1 : alpha),
      elu: (v) => (v > 0 ? 1 : f(v + 1)),
      sigmoid: (v) => f(v * f(1 - v)),
      tanh: (v) => f(1 - f(v * v)),
    };
    for (const [activation, d] of Object.entries(derivative)) {
      const dbias = new Float32Array(37);
      addon.denseBackward(dy, new Float32Array(1), new Float32Array(37), y, null, null, dbias, 1, 37, 1, false, false, FUSED_ACTIVATIONS.indexOf(activation as never), alpha);
      // tanh's 1 - y * y may be one fused multiply-add on the vector paths: one rounding fewer.
      const tol = activation === 'tanh' ? 1e-6 : 0;
      for (let i = 0; i < 37; i++) {
        const expected = f(dy[i] * d(y[i]));
        if (!(Math.abs(dbias[i] - expected) <= tol)) expect.fail(`${activation} at y = ${y[i]}: ${dbias[i]} vs ${expected}`);
      }
    }
  });

  it.each(ISAS)('matches the js kernels on a large shape on %s', (isa) => {
    addon.setIsa(isa);
    const [M, N, K] = [301, 257, 190]; // the epilogue and the activation gradient split across threads
    for (const [ta, tb] of [[false, false], [true, true]]) {
      for (const activation of ['relu', 'sigmoid'] as const) {
        const A = seeded([M * K], 5);
        const B = seeded([K * N], 6, -0.2, 0.2);
        const c = seeded([N], 7);
        const shapes = [ta ? [K, M] : [M, K], tb ? [N, K] : [K, N], [N]];
        const attrs = { transposeA: ta, transposeB: tb, activation, alpha: 0, needs: [true, true, true] };
        const y = new Float32Array(M * N);
        addon.denseForward(A, B, c, y, M, N, K, ta, tb, FUSED_ACTIVATIONS.indexOf(activation), 0);
        const [yRef] = jsKernel('FusedMatMul', [A, B, c], shapes, attrs);
        expectNear(y, yRef, 1e-4, 'y');
        const dy = seeded([M * N], 8);
        const grads = [new Float32Array(M * K), new Float32Array(K * N), new Float32Array(N)];
        addon.denseBackward(dy, A, B, yRef, grads[0], grads[1], grads[2], M, N, K, ta, tb, FUSED_ACTIVATIONS.indexOf(activation), 0);
        const refs = jsKernel('FusedMatMulGrad', [dy, A, B, yRef], [[M, N], shapes[0], shapes[1], [M, N]], attrs);
        grads.forEach((g, i) => expectNear(g, refs[i], 1e-4, ['da', 'db', 'dbias'][i]));
      }
    }
  });
});
