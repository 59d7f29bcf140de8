/**
 * et.regularizers on every target: penalties against float64 hand computation (Keras:
 * l1 * sum|w| + l2 * sum w^2), their gradients through et.grad, names with Keras' default
 * factor 0.01, and bad input.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, seeded, useTarget } from '../helpers.js';

const reg = et.regularizers;
const sumAbs = (w: ArrayLike<number>) => Array.from(w).reduce((a, x) => a + Math.abs(x), 0);
const sumSq = (w: ArrayLike<number>) => Array.from(w).reduce((a, x) => a + x * x, 0);

function scalarOf(t: et.Tensor): number {
  expect(t.shape).toEqual([]);
  expect(t.dtype).toBe('float32');
  return t.dataSync()[0];
}
const close = (got: number, want: number, rtol = 1e-5) => {
  if (!(Math.abs(got - want) <= rtol * Math.abs(want) + 1e-7)) expect.fail(`expected ${want}, got ${got}`);
};

describe.each(TARGETS)('regularizers on $name', (target) => {
  useTarget(target);
  const raw = seeded([37, 11], 5, -3, 2);
  const w = () => et.tensor(raw, [37, 11]);

  it('l1, l2 and l1l2 give l1 * sum|w| + l2 * sum w^2 as a scalar', () => {
    close(scalarOf(reg.l1({ l1: 0.3 }).apply(w())), 0.3 * sumAbs(raw));
    close(scalarOf(reg.l2({ l2: 0.07 }).apply(w())), 0.07 * sumSq(raw));
    close(scalarOf(reg.l1l2({ l1: 0.02, l2: 0.5 }).apply(w())), 0.02 * sumAbs(raw) + 0.5 * sumSq(raw));
    close(scalarOf(reg.l2({ l2: 1 }).apply(et.tensor([[1, -2], [3, 0.5]]))), 14.25);
    close(scalarOf(reg.l1({ l1: 2 }).apply(et.scalar(-1.5))), 3);
  });

  it('the names and the bare factories use Keras\' factor 0.01', () => {
    close(scalarOf(reg.l1().apply(w())), 0.01 * sumAbs(raw));
    close(scalarOf(reg.l2().apply(w())), 0.01 * sumSq(raw));
    close(scalarOf(reg.getRegularizer('l1')!.apply(w())), 0.01 * sumAbs(raw));
    close(scalarOf(reg.getRegularizer('l2')!.apply(w())), 0.01 * sumSq(raw));
    close(scalarOf(reg.getRegularizer('l1l2')!.apply(w())), 0.01 * sumAbs(raw) + 0.01 * sumSq(raw));
  });

  it('a zero factor gives a zero penalty and a zero gradient', () => {
    const none = reg.l1l2({ l1: 0, l2: 0 });
    expect(scalarOf(none.apply(w())) === 0).toBe(true);
    expect(Array.from(et.grad((x: et.Tensor) => none.apply(x))(w()).dataSync()).every((g) => g === 0)).toBe(true);
  });

  it('gradients: l1 * sign(w) + 2 * l2 * w, with 0 as the l1 subgradient at w = 0 (TF)', () => {
    const shape = [37, 11];
    expectClose(et.grad((x: et.Tensor) => reg.l1({ l1: 0.3 }).apply(x))(w()), { values: Array.from(raw, (x) => 0.3 * Math.sign(x)), shape }, 1e-6, 1e-7);
    expectClose(et.grad((x: et.Tensor) => reg.l2({ l2: 0.07 }).apply(x))(w()), { values: Array.from(raw, (x) => 0.14 * x), shape }, 1e-5, 1e-7);
    expectClose(et.grad((x: et.Tensor) => reg.l1l2({ l1: 0.02, l2: 0.5 }).apply(x))(w()), { values: Array.from(raw, (x) => 0.02 * Math.sign(x) + x), shape }, 1e-5, 1e-7);
    expectClose(et.grad((x: et.Tensor) => reg.l1({ l1: 1 }).apply(x))(et.tensor([0, -4, 2])), { values: [0, -1, 1], shape: [3] }, 0, 0);
  });

  it('penalise a variable in variableGrads, as a layer\'s weights are', () => {
    const v = et.variable(et.tensor([[0.5, -1], [2, -0.25]]), true, 'regularizers_test_kernel');
    const { value, grads } = et.variableGrads(() => reg.l1l2({ l1: 0.1, l2: 0.2 }).apply(v), [v]);
    close(scalarOf(value), 0.1 * 3.75 + 0.2 * 5.3125);
    expectClose(grads[v.name], { values: [0.1 + 0.2, -0.1 - 0.4, 0.1 + 0.8, -0.1 - 0.1], shape: [2, 2] }, 1e-6, 1e-7);
    v.dispose();
  });
});

describe('getRegularizer', () => {
  it('gives undefined for none and passes regularizer objects through', () => {
    expect(reg.getRegularizer(undefined)).toBeUndefined();
    expect(reg.getRegularizer(null)).toBeUndefined();
    const r = reg.l2({ l2: 0.5 });
    expect(reg.getRegularizer(r)).toBe(r);
  });

  it('names the unknown identifier and lists the allowed ones', () => {
    expect(() => reg.getRegularizer('l3' as never)).toThrow(/unknown regularizer "l3"; expected 'l1', 'l2', 'l1l2'.* or a regularizer object/);
    expect(() => reg.getRegularizer(0.01 as never)).toThrow(/unknown regularizer 0.01/);
    expect(() => reg.getRegularizer({} as never)).toThrow(/unknown regularizer \{\}/);
  });

  it('rejects negative, non-finite and non-number factors, naming the factor', () => {
    expect(() => reg.l1({ l1: -0.1 })).toThrow(/l1 must be a finite number >= 0, got -0.1/);
    expect(() => reg.l2({ l2: NaN })).toThrow(/l2 must be a finite number >= 0, got NaN/);
    expect(() => reg.l1l2({ l1: 0.1, l2: Infinity })).toThrow(/l2 must be a finite number >= 0, got Infinity/);
    expect(() => reg.l1l2({ l1: '0.1' as never })).toThrow(/l1 must be a finite number >= 0, got 0.1/);
  });
});

describe('regularizer classes and configs (Keras get_config)', () => {
  it('are L1 / L2 / L1L2 with their factors, and rebuild from the config', () => {
    const cases: [et.regularizers.Regularizer, string, Record<string, number>][] = [
      [reg.l1({ l1: 0.2 }), 'L1', { l1: 0.2 }],
      [reg.l2(), 'L2', { l2: 0.01 }],
      [reg.l1l2({ l1: 0.1, l2: 0.3 }), 'L1L2', { l1: 0.1, l2: 0.3 }],
      [reg.getRegularizer('l1_l2')!, 'L1L2', { l1: 0.01, l2: 0.01 }],
    ];
    for (const [r, className, config] of cases) {
      expect(r.className).toBe(className);
      expect(r.getConfig()).toEqual(config);
    }
    const w = et.tensor([1, -2, 3]);
    expect(reg.l1l2(reg.l1l2({ l1: 0.1, l2: 0.3 }).getConfig()).apply(w).dataSync()[0]).toBeCloseTo(0.1 * 6 + 0.3 * 14, 5);
  });

  it('leave only the penalty behind when called outside a tidy', () => {
    const w = et.tensor([1, -2, 3]);
    const before = et.memory().numTensors;
    const p = reg.l1l2({ l1: 0.1, l2: 0.3 }).apply(w);
    expect(et.memory().numTensors).toBe(before + 1);
    et.dispose([p, w]);
  });
});
