/**
 * fused.matMul (the dense layer's kernel pair) on every target: the forward pass against the
 * js oracle and against the separate ops, its gradients (one FusedMatMulGrad kernel) against
 * the separate ops' gradients, grad of grad (the recorded path), the forms that fall back to
 * separate ops, and bad input.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { FUSED_ACTIVATIONS, type FusedActivation } from '../../src/backend/kernel.js';
import { TARGETS, expectClose, matchesOracle, seeded, snapshot, useTarget } from '../helpers.js';

const ALPHA = 0.15;
const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

/** The same computation as separate ops. */
function separate(a: et.Tensor, b: et.Tensor, bias: et.Tensor | undefined, activation: FusedActivation, ta: boolean, tb: boolean): et.Tensor {
  const z = bias ? et.add(et.matMul(a, b, ta, tb), bias) : et.matMul(a, b, ta, tb);
  switch (activation) {
    case 'linear': return z;
    case 'leakyRelu': return et.leakyRelu(z, ALPHA);
    default: return et[activation](z);
  }
}

function operands(m: number, k: number, n: number, ta: boolean, tb: boolean, seed: number) {
  const aShape = ta ? [k, m] : [m, k];
  const bShape = tb ? [n, k] : [k, n];
  return {
    a: et.tensor(seeded(aShape, seed, -2, 2), aShape),
    b: et.tensor(seeded(bShape, seed + 1), bShape),
    bias: et.tensor(seeded([n], seed + 2), [n]),
  };
}

describe.each(TARGETS)('fused.matMul on $name', (target) => {
  useTarget(target);

  it('matches the oracle and the separate ops for every activation, transpose and bias', () => {
    for (const activation of FUSED_ACTIVATIONS) {
      for (const [ta, tb] of TRANSPOSES) {
        for (const withBias of [true, false]) {
          const [m, k, n] = [13, 37, 21];
          const { a, b, bias } = operands(m, k, n, ta, tb, 7);
          const fused = () => et.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: withBias ? bias : undefined, activation, leakyreluAlpha: ALPHA });
          const got = matchesOracle(fused, 1e-5, 1e-5);
          expect(got.shape).toEqual([m, n]);
          expectClose(got, snapshot(separate(a, b, withBias ? bias : undefined, activation, ta, tb)), 1e-5, 1e-6);
        }
      }
    }
  });

  it('gives the separate ops\' gradients for a, b and bias', () => {
    for (const activation of FUSED_ACTIVATIONS) {
      for (const [ta, tb] of TRANSPOSES) {
        const { a, b, bias } = operands(9, 17, 6, ta, tb, 11);
        const weights = et.tensor(seeded([9, 6], 3), [9, 6]);
        const loss = (f: (x: et.Tensor, w: et.Tensor, c: et.Tensor) => et.Tensor) => (x: et.Tensor, w: et.Tensor, c: et.Tensor) => et.sum(et.mul(f(x, w, c), weights));
        const fused = et.grads(loss((x, w, c) => et.fused.matMul({ a: x, b: w, bias: c, transposeA: ta, transposeB: tb, activation, leakyreluAlpha: ALPHA })))([a, b, bias]);
        const reference = et.grads(loss((x, w, c) => separate(x, w, c, activation, ta, tb)))([a, b, bias]);
        fused.forEach((g, i) => expectClose(g, snapshot(reference[i]), 1e-5, 1e-5));
      }
    }
  });

  it('gives one operand\'s gradient when only it is watched', () => {
    const { a, b, bias } = operands(5, 4, 3, false, false, 1);
    const w = et.variable(b, true, `${target.name}/fused-only-b`);
    const { grads } = et.variableGrads(() => et.sum(et.fused.matMul({ a, b: w, bias, activation: 'tanh' })), [w]);
    expect(Object.keys(grads)).toEqual([w.name]);
    expectClose(grads[w.name], snapshot(et.grad((x: et.Tensor) => et.sum(et.tanh(et.add(et.matMul(a, x), bias))))(b)), 1e-5, 1e-6);
    w.dispose();
  });

  it('differentiates its gradient again (grad of grad through the recorded path)', () => {
    for (const activation of ['sigmoid', 'tanh', 'elu', 'relu'] as const) {
      const { a, b, bias } = operands(4, 5, 3, false, true, 21);
      const secondOrder = (f: (x: et.Tensor) => et.Tensor) => et.grad((x: et.Tensor) => et.sum(et.square(et.grad(f)(x))))(a);
      const fused = secondOrder((x) => et.sum(et.fused.matMul({ a: x, b, bias, transposeB: true, activation })));
      const reference = secondOrder((x) => et.sum(separate(x, b, bias, activation, false, true)));
      expectClose(fused, snapshot(reference), 1e-5, 1e-6);
    }
  });

  it('runs forms the kernel does not take as separate ops, with the same result', () => {
    const a = et.tensor(seeded([2, 3, 4], 1), [2, 3, 4]);
    const b = et.tensor(seeded([4, 5], 2), [4, 5]);
    const rowBias = et.tensor(seeded([3, 1], 3), [3, 1]);
    expectClose(et.fused.matMul({ a, b, bias: rowBias, activation: 'relu' }), snapshot(et.relu(et.add(et.matMul(a, b), rowBias))), 1e-6, 1e-6);
    const m = et.tensor(seeded([3, 4], 4), [3, 4]);
    expectClose(et.fused.matMul({ a: m, b, activation: 'leakyRelu', leakyreluAlpha: -0.5 }), snapshot(et.leakyRelu(et.matMul(m, b), -0.5)), 1e-6, 1e-6);
    expectClose(et.fused.matMul({ a: [[1, 2]], b: [[3], [4]], bias: [0.5] }), { values: [11.5], shape: [1, 1] }, 0, 0);
  });

  it('rejects bad input with errors that name it', () => {
    const a = et.ones([2, 3]);
    expect(() => et.fused.matMul({ a, b: et.ones([4, 5]) })).toThrow(/inner dimensions.*\[2,\s*3\].*\[4,\s*5\]/);
    expect(() => et.fused.matMul({ a, b: et.ones([3, 5]), activation: 'softmax' as never })).toThrow(/unknown activation "softmax".*'linear', 'relu'/);
    expect(() => et.fused.matMul({ a, b: et.ones([3, 5]), bias: et.ones([4]) })).toThrow(/\[2,\s*5\].*\[4\]|\[4\].*\[2,\s*5\]/);
    expect(() => et.fused.matMul({ a, b: et.ones([3, 5]), leakyreluAlpha: NaN })).toThrow(/leakyreluAlpha/);
    expect(() => et.fused.matMul(null as never)).toThrow(/expected \{a, b/);
  });
});
