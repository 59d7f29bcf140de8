import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/backend/native/addon.js';
import { registerJsKernels } from '../../src/backend/js/index.js';
import { findKernel } from '../../src/backend/registry.js';
import { seeded } from '../helpers.js';

const addon = loadAddon().addon;
const ISAS = ['avx512', 'avx2', 'scalar'] as const;

/** Runs the js reference kernel on copies of the arrays and returns them. */
function reference(kernelName: string, arrays: Float32Array[], attrs: Record<string, unknown>): Float32Array[] {
  registerJsKernels();
  const copies = arrays.map((a) => a.slice());
  findKernel(kernelName, 'js')!.kernelFunc(copies.map((data) => ({ shape: [data.length], dtype: 'float32' as const, data })), attrs);
  return copies;
}

function expectNear(actual: Float32Array, expected: Float32Array, tol: number): void {
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])))) {
      expect.fail(`element ${i}: ${actual[i]} vs reference ${expected[i]}`);
    }
  }
}

describe.skipIf(!addon && !process.env.CI)('native optimizer updates', () => {
  const n = 1003; // not a multiple of any vector width
  const fresh = () => [seeded([n], 1), seeded([n], 2), seeded([n], 3, -0.1, 0.1), seeded([n], 4, 0, 0.1), seeded([n], 5, -0.1, 0.1)];
  const isas = ISAS.slice(ISAS.indexOf(addon?.bestIsa() ?? 'scalar'));

  it.each(isas)('match the js reference kernels on %s (odd lengths, every option)', (isa) => {
    const previous = addon!.isa();
    addon!.setIsa(isa);
    try {
      for (const [lr, nesterov] of [[0.1, false], [0.05, true]] as const) {
        const [p, g, acc] = fresh();
        const want = reference('MomentumUpdate', [p, g, acc], { lr, momentum: 0.9, nesterov });
        addon!.momentumUpdate(lr, 0.9, nesterov, p, g, acc);
        expectNear(p, want[0], 1e-6);
        expectNear(acc, want[2], 1e-6);
      }
      for (const [iteration, weightDecay] of [[1, 0], [7, 0.004]]) {
        const [p, g, m, v] = fresh();
        const attrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, iteration, weightDecay };
        const want = reference('AdamUpdate', [p, g, m, v], attrs);
        addon!.adamUpdate(0.01, 0.9, 0.999, 1e-7, iteration, weightDecay, p, g, m, v);
        [p, m, v].forEach((a, k) => expectNear(a, want[[0, 2, 3][k]], 2e-6));
      }
      for (const centered of [false, true]) {
        // meanSquare must dominate meanGradient^2 (both are running averages of g^2 and g).
        const [p, g] = fresh();
        const [ms, mom, mg] = [seeded([n], 6, 0.01, 0.1), seeded([n], 7, -0.1, 0.1), seeded([n], 8, -0.05, 0.05)];
        const attrs = { lr: 0.01, decay: 0.9, momentum: 0.5, epsilon: 1e-7, centered };
        const want = reference('RmspropUpdate', [p, g, ms, mom, mg], attrs);
        addon!.rmspropUpdate(0.01, 0.9, 0.5, 1e-7, centered, p, g, ms, mom, mg);
        [p, ms, mom, mg].forEach((a, k) => expectNear(a, want[[0, 2, 3, 4][k]], 2e-5));
      }
      const [p, g] = fresh();
      const want = reference('SgdUpdate', [p, g], { lr: 0.3 });
      addon!.sgdUpdate(0.3, p, g);
      expectNear(p, want[0], 1e-6);
    } finally {
      addon!.setIsa(previous);
    }
  });

  it('flush subnormal moments to zero, and leave JS arithmetic on subnormals as it was', () => {
    const tiny = 1e-40; // a float32 subnormal
    const [p, g, m, v] = [new Float32Array(n).fill(1), new Float32Array(n), new Float32Array(n).fill(tiny), new Float32Array(n).fill(tiny)];
    addon!.adamUpdate(0.01, 0.9, 0.999, 1e-7, 3, 0, p, g, m, v);
    expect(m.every((x) => x === 0)).toBe(true);
    expect(v.every((x) => x === 0)).toBe(true);
    const half = Number(`${0.5}`); // not a constant the compiler folds
    expect(1e-310 * half).toBeGreaterThan(0);
  });

  it('update every parameter of a step in one call, as one call each would', () => {
    // Large parameters split across the pool, with small, one-element and empty ones between them.
    const lengths = [70_001, 0, 1, 99_999, 5, 131_072];
    const makeGroups = () =>
      lengths.map((len, i) => [seeded([len], 10 + i), seeded([len], 20 + i), seeded([len], 30 + i, -0.1, 0.1), seeded([len], 40 + i, 0, 0.1)]);
    const attrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, iteration: 4, weightDecay: 0.01 };
    const together = makeGroups();
    addon!.adamUpdate(0.01, 0.9, 0.999, 1e-7, 4, 0.01, ...together.flat());
    const separate = makeGroups();
    separate.forEach((group) => addon!.adamUpdate(0.01, 0.9, 0.999, 1e-7, 4, 0.01, ...group));
    makeGroups().forEach((group, i) => {
      const want = reference('AdamUpdate', group, attrs);
      [0, 2, 3].forEach((k) => {
        expect(Array.from(together[i][k])).toEqual(Array.from(separate[i][k]));
        expectNear(together[i][k], want[k], 2e-6);
      });
    });
  });

  it('take a step of many parameters (more arguments than the addon reads on its stack)', () => {
    // 40 parameters: 6 + 160 arguments, past the 32 read on the stack, twice in a row.
    const lengths = Array.from({ length: 40 }, (_, i) => 1 + ((i * 37) % 50));
    const makeGroups = () =>
      lengths.map((len, i) => [seeded([len], 50 + i), seeded([len], 90 + i), seeded([len], 130 + i, -0.1, 0.1), seeded([len], 170 + i, 0, 0.1)]);
    const together = makeGroups();
    const separate = makeGroups();
    for (const iteration of [1, 2]) {
      addon!.adamUpdate(0.01, 0.9, 0.999, 1e-7, iteration, 0, ...together.flat());
      separate.forEach((group) => addon!.adamUpdate(0.01, 0.9, 0.999, 1e-7, iteration, 0, ...group));
    }
    together.forEach((group, i) => group.forEach((array, k) => expect(Array.from(array)).toEqual(Array.from(separate[i][k]))));
    expect(() => addon!.sgdUpdate(0.1, ...together.flat().slice(0, 79))).toThrow(/the 79 arrays from argument 1 on are not groups of 2/);
  });

  it('validate every argument before writing', () => {
    const [p, g, m, v] = fresh();
    const before = p.slice();
    const short = new Float32Array(n - 1);
    expect(() => addon!.sgdUpdate(0.1, p, g, p, short)).toThrow(/argument 4 \(grad of group 1\) is too short: needs 1003 elements \(its param's\), has 1002/);
    expect(() => addon!.sgdUpdate(0.1, p, g, p, new Float64Array(n) as never)).toThrow(/argument 4 \(grad of group 1\) must be a Float32Array, got Float64Array/);
    expect(() => addon!.sgdUpdate(0.1, p, g, [] as never, g)).toThrow(/argument 3 \(param of group 1\) must be a Float32Array, got an Array/);
    expect(() => addon!.adamUpdate(0.01, 0.9, 0.999, 1e-7, 1, 0, p, g, m)).toThrow(/the 3 arrays from argument 6 on are not groups of 4 \(param, grad, m, v\)/);
    expect(() => addon!.sgdUpdate(NaN, p, g)).toThrow(/lr\) must be a finite number/);
    expect(() => addon!.adamUpdate(0.01, 1.5, 0.999, 1e-7, 1, 0, p, g, m, v)).toThrow(/beta1\) must be in \[0, 1\)/);
    expect(() => addon!.adamUpdate(0.01, 0.9, 0.999, 1e-7, 0, 0, p, g, m, v)).toThrow(/iteration\) must be in \[1/);
    expect(() => (addon!.momentumUpdate as (...a: unknown[]) => void)(0.1, 0.9)).toThrow(/expected at least 3 arguments, got 2/);
    expect(Array.from(p)).toEqual(Array.from(before));
  });
});
