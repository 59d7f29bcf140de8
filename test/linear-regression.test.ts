/**
 * The documents' linear regression (y = 3x + noise, learning rate 0.01, 1000 steps) by four
 * routes on every target: the analytic gradient 2/n X^T (Xw - y), raw et.grads updates,
 * optimizer.minimize on variables and GradientTape. All land on the closed-form least squares.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../src/index.js';
import { TARGETS, useTarget } from './helpers.js';

const METHODS = ['analytic', 'grads', 'minimize', 'tape'] as const;

describe.each(TARGETS)('linear regression on $name', (target) => {
  useTarget(target);

  it.each(METHODS)('without a bias (%s): w lands on w* = X^T y / X^T X within 1e-3', (method) => {
    const before = et.memory().numTensors;
    const r = et.models.linearRegression({ method });
    expect(et.memory().numTensors).toBe(before);
    expect(r.steps).toBe(1000);
    expect(r.learningRate).toBe(0.01);
    expect(r.bias).toBeNull();
    expect(r.lossHistory).toHaveLength(1000);
    const { x, y } = r.data;
    let xy = 0;
    let xx = 0;
    x.forEach((xi, i) => {
      xy += xi * y[i];
      xx += xi * xi;
    });
    expect(r.leastSquares.weight).toBeCloseTo(xy / xx, 12);
    expect(Math.abs(r.weight - xy / xx)).toBeLessThan(1e-3);
    expect(Math.abs(r.weight - 3)).toBeLessThan(0.05);
    // The loss decreases monotonically to the noise level (std 0.1: MSE ~0.01).
    expect(r.lossHistory.every((l, i) => i === 0 || l <= r.lossHistory[i - 1] * (1 + 1e-6))).toBe(true);
    expect(r.finalLoss).toBeLessThan(0.02);
  });

  it.each(METHODS)('with a bias (%s): slope 3 and the noise mean', (method) => {
    const r = et.models.linearRegression({ method, useBias: true, noiseMean: 0.5 });
    expect(Math.abs(r.weight - 3)).toBeLessThan(0.05);
    expect(Math.abs(r.bias! - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(r.weight - r.leastSquares.weight)).toBeLessThan(1e-3);
    expect(Math.abs(r.bias! - r.leastSquares.bias!)).toBeLessThan(1e-3);
  });

  it('the four routes agree', () => {
    for (const useBias of [false, true]) {
      const fits = METHODS.map((method) => et.models.linearRegression({ method, useBias, steps: 50, seed: 7 }));
      for (const f of fits.slice(1)) {
        expect(f.weight).toBeCloseTo(fits[0].weight, 5);
        if (useBias) expect(f.bias!).toBeCloseTo(fits[0].bias!, 5);
        f.lossHistory.forEach((l, i) => expect(l).toBeCloseTo(fits[0].lossHistory[i], 4));
      }
    }
  });

  it('the analytic gradient 2/n X^T (Xw - y) equals the autograd gradient of the MSE', () => {
    et.tidy(() => {
      const n = 20;
      const X = et.randomUniform([n, 1], -2, 2, 5);
      const Y = et.add(et.mul(X, 3), et.randomNormal([n, 1], 0, 0.1, 6));
      const w = et.tensor([[0.7]]);
      const [auto] = et.grads((wi) => et.losses.meanSquaredError(Y, et.matMul(X, wi)))([w]);
      const analytic = et.mul(et.matMul(X, et.sub(et.matMul(X, w), Y), true), 2 / n);
      expect(auto.dataSync()[0]).toBeCloseTo(analytic.dataSync()[0], 4);
    });
  });
});

describe('linearRegression options', () => {
  it('rejects invalid options', () => {
    expect(() => et.models.linearRegression({ learningRate: 0 })).toThrow(/learningRate must be a finite number > 0/);
    expect(() => et.models.linearRegression({ method: 'newton' as never })).toThrow(/method must be one of 'analytic', 'grads', 'minimize', 'tape'/);
    expect(() => et.models.linearRegression({ xRange: [1, 1] })).toThrow(/xRange/);
    expect(() => et.models.linearRegression({ epochs: 3 } as never)).toThrow(/unknown option.*epochs/);
  });
});
