/**
 * Layers on every target: forward passes against hand computation, training vs inference
 * behaviour, gradients through layers, initializers' statistics and determinism, and bad input.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, seeded, snapshot, useTarget } from '../helpers.js';

const values = (t: et.Tensor | et.Tensor[]) => Array.from((t as et.Tensor).dataSync());

describe.each(TARGETS)('layers on $name', (target) => {
  useTarget(target);

  it('dense computes activation(x W + b), on rank 2 and rank 3 inputs', () => {
    const layer = et.layers.dense({ units: 2, activation: 'relu', inputShape: [3] });
    const x = et.tensor([[1, 2, 3], [-1, 0, 1]]);
    layer.apply(x); // builds
    layer.setWeights([et.tensor([[1, -1], [0, 2], [1, 0]]), et.tensor([0.5, -4])]);
    // row 0: [1+3+0.5, -1+4-4] = [4.5, -1] -> relu [4.5, 0]; row 1: [-1+1+0.5, 1+0-4] -> [0.5, 0]
    expectClose(layer.apply(x) as et.Tensor, { values: [4.5, 0, 0.5, 0], shape: [2, 2] }, 1e-6, 1e-6);
    const x3 = et.reshape(et.concat([x, x], 0), [2, 2, 3]);
    expectClose(layer.apply(x3) as et.Tensor, { values: [4.5, 0, 0.5, 0, 4.5, 0, 0.5, 0], shape: [2, 2, 2] }, 1e-6, 1e-6);
    const soft = et.layers.dense({ units: 2, activation: 'softmax', useBias: false });
    soft.apply(x);
    soft.setWeights([et.tensor([[1, 0], [0, 1], [0, 0]])]);
    expectClose(soft.apply(x) as et.Tensor, snapshot(et.softmax(et.tensor([[1, 2], [-1, 0]]))), 1e-6, 1e-7);
    expect(layer.countParams()).toBe(8);
    layer.dispose();
    soft.dispose();
  });

  it('activation, leakyReLU (default alpha 0.3), flatten and reshape', () => {
    const x = et.tensor([[-2, 0.5], [3, -1]]);
    expectClose(et.layers.activation({ activation: 'tanh' }).apply(x) as et.Tensor, snapshot(et.tanh(x)), 1e-6, 1e-7);
    expectClose(et.layers.activation({ activation: 'leaky_relu' }).apply(x) as et.Tensor, { values: [-0.4, 0.5, 3, -0.2], shape: [2, 2] }, 1e-6, 1e-7);
    expectClose(et.layers.leakyReLU().apply(x) as et.Tensor, { values: [-0.6, 0.5, 3, -0.3], shape: [2, 2] }, 1e-6, 1e-7);
    expectClose(et.layers.leakyReLU({ alpha: 0.2 }).apply(x) as et.Tensor, { values: [-0.4, 0.5, 3, -0.2], shape: [2, 2] }, 1e-6, 1e-7);
    const images = et.tensor(seeded([2, 3, 4], 1), [2, 3, 4]);
    expect((et.layers.flatten().apply(images) as et.Tensor).shape).toEqual([2, 12]);
    const r = et.layers.reshape({ targetShape: [4, -1] }).apply(images) as et.Tensor;
    expect(r.shape).toEqual([2, 4, 3]);
    expect(values(r)).toEqual(values(images));
    expect(() => et.layers.reshape({ targetShape: [5] }).apply(images)).toThrow(/cannot reshape samples of shape \[3, 4\] \(12 values\) to \[5\]/);
  });

  it('dropout drops only in training, scaling the kept values by 1 / (1 - rate)', () => {
    et.setSeed(3);
    const layer = et.layers.dropout({ rate: 0.25 });
    const x = et.ones([200, 50]);
    expect(values(layer.apply(x) as et.Tensor).every((v) => v === 1)).toBe(true);
    const dropped = values(layer.apply(x, { training: true }) as et.Tensor);
    const zeros = dropped.filter((v) => v === 0).length / dropped.length;
    expect(zeros).toBeGreaterThan(0.22);
    expect(zeros).toBeLessThan(0.28);
    expect(dropped.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
  });

  it('batchNormalization normalises with batch statistics in training and moving ones at inference', () => {
    const layer = et.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
    const raw = seeded([64, 3], 4, -2, 5);
    const x = et.tensor(raw, [64, 3]);
    const y = layer.apply(x, { training: true }) as et.Tensor;
    const { mean, variance } = et.moments(x, 0);
    const m = values(mean);
    const v = values(variance);
    const expected = Array.from(raw, (value, i) => (value - m[i % 3]) / Math.sqrt(v[i % 3] + 1e-3));
    expectClose(y, { values: expected, shape: [64, 3] }, 1e-4, 1e-5);
    const [gamma, beta, movingMean, movingVariance] = layer.weights;
    expect([gamma.name, beta.name, movingMean.name, movingVariance.name].map((n) => n.split('/').pop())).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expectClose(movingMean, { values: m.map((mu) => 0.1 * mu), shape: [3] }, 1e-5, 1e-6);
    expectClose(movingVariance, { values: v.map((s) => 0.9 + 0.1 * s), shape: [3] }, 1e-5, 1e-6);
    // Inference uses the moving statistics and leaves them alone.
    const inference = layer.apply(x) as et.Tensor;
    const mm = values(movingMean);
    const mv = values(movingVariance);
    expectClose(inference, { values: Array.from(raw, (value, i) => (value - mm[i % 3]) / Math.sqrt(mv[i % 3] + 1e-3)), shape: [64, 3] }, 1e-4, 1e-5);
    expectClose(movingMean, { values: m.map((mu) => 0.1 * mu), shape: [3] }, 1e-5, 1e-6);
    expect(layer.trainableWeights.length).toBe(2);
    expect(layer.nonTrainableWeights.length).toBe(2);
    layer.dispose();
  });

  it('gradients flow through dense and batchNormalization layers (against the same ops written out)', () => {
    et.setSeed(5);
    const dense = et.layers.dense({ units: 4, activation: 'tanh' });
    const bn = et.layers.batchNormalization();
    const x = et.tensor(seeded([8, 5], 6), [8, 5]);
    bn.apply(dense.apply(x), { training: true }); // builds both
    const [kernel, bias] = dense.weights;
    const [gamma, beta] = bn.weights;
    const { grads } = et.variableGrads(() => et.sum(et.square(bn.apply(dense.apply(x), { training: true }) as et.Tensor)), [kernel, bias, gamma, beta]);
    const manual = et.grads((k: et.Tensor, b: et.Tensor, g: et.Tensor, be: et.Tensor) => {
      const h = et.tanh(et.add(et.matMul(x, k), b));
      const { mean, variance } = et.moments(h, 0);
      return et.sum(et.square(et.add(et.mul(et.div(et.sub(h, mean), et.sqrt(et.add(variance, 1e-3))), g), be)));
    })([kernel, bias, gamma, beta]);
    [kernel, bias, gamma, beta].forEach((w, i) => expectClose(grads[w.name], snapshot(manual[i]), 1e-4, 1e-5));
    dense.dispose();
    bn.dispose();
  });

  it('names a wrong input shape with the layer and both shapes', () => {
    const layer = et.layers.dense({ units: 3, inputShape: [4] });
    expect(() => layer.apply(et.ones([2, 5]))).toThrow(/dense.*\(Dense\): expected input of shape \(None, 4\), got \[2,\s*5\]/);
    layer.apply(et.ones([2, 4]));
    expect(() => layer.apply(et.ones([2, 6]))).toThrow(/expected input of shape \(None, 4\), got \[2,\s*6\]/);
    expect(() => et.layers.dense({ units: 0 })).toThrow(/units must be a positive integer/);
    expect(() => et.layers.dense({ units: 2, activation: 'swish' })).toThrow(/unknown activation "swish".*'relu'/);
    expect(() => et.layers.dense({ units: 2, kernelInitializer: 'nope' })).toThrow(/unknown initializer "nope".*'glorotUniform'/);
    expect(() => et.layers.dropout({ rate: 1 })).toThrow(/rate must be in \[0, 1\)/);
    layer.dispose();
  });
});

describe('initializers', () => {
  const stats = (t: et.Tensor) => {
    const v = values(t);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { mean, std, min: Math.min(...v), max: Math.max(...v) };
  };

  it('follow the Keras formulas', () => {
    const shape = [400, 300];
    const glorot = stats(et.initializers.glorotUniform({ seed: 1 }).apply(shape));
    const limit = Math.sqrt(6 / 700);
    expect(glorot.max).toBeLessThanOrEqual(limit);
    expect(glorot.min).toBeGreaterThanOrEqual(-limit);
    expect(glorot.std).toBeCloseTo(limit / Math.sqrt(3), 3);
    const he = stats(et.initializers.heNormal({ seed: 2 }).apply(shape));
    expect(he.std).toBeCloseTo(Math.sqrt(2 / 400), 3);
    expect(he.max).toBeLessThanOrEqual(2 * Math.sqrt(2 / 400) / 0.87962566103423978 + 1e-6);
    expect(Math.abs(he.mean)).toBeLessThan(2e-3);
    const lecun = stats(et.initializers.lecunNormal({ seed: 3 }).apply(shape));
    expect(lecun.std).toBeCloseTo(Math.sqrt(1 / 400), 3);
    const conv = stats(et.initializers.heUniform({ seed: 4 }).apply([3, 3, 16, 32]));
    expect(conv.max).toBeLessThanOrEqual(Math.sqrt(6 / (9 * 16)));
    expect(values(et.initializers.constant({ value: 2.5 }).apply([3]))).toEqual([2.5, 2.5, 2.5]);
  });

  it('are deterministic under setSeed and with explicit seeds', () => {
    et.setSeed(9);
    const a = values(et.initializers.glorotNormal().apply([5, 5]));
    et.setSeed(9);
    const b = values(et.initializers.glorotNormal().apply([5, 5]));
    expect(a).toEqual(b);
    expect(values(et.initializers.randomUniform({ seed: 3 }).apply([6]))).toEqual(values(et.initializers.randomUniform({ seed: 3 }).apply([6])));
    expect(et.initializers.getInitializer('he_normal', 'zeros').className).toBe('HeNormal');
  });

  it('regularizers add l1 sum|w| + l2 sum w^2, differentiably', () => {
    const w = et.tensor([1, -2, 3]);
    expect(values(et.regularizers.l1l2({ l1: 0.1, l2: 0.01 }).apply(w))[0]).toBeCloseTo(0.1 * 6 + 0.01 * 14, 6);
    expect(values(et.regularizers.getRegularizer('l2')!.apply(w))[0]).toBeCloseTo(0.14, 6);
    expect(values(et.grad((x: et.Tensor) => et.regularizers.l2({ l2: 0.5 }).apply(x))(w))).toEqual([1, -2, 3]);
    expect(() => et.regularizers.getRegularizer('l3' as never)).toThrow(/unknown regularizer "l3"/);
  });
});
