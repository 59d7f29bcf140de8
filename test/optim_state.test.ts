/**
 * Optimizer state and serialization: training resumed from getWeights + getConfig continues
 * bit for bit as the uninterrupted run; configs round-trip (JSON included, schedules and clipping
 * too); names, order, shapes and dtypes of the state are tfjs-core's, and tfjs' saved state
 * resumes here; bad state is refused before anything changes.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as et from '../src/index.js';
import { TARGETS, expectClose, seeded, useTarget } from './helpers.js';

const { optimizerFromConfig } = et.train;
type Optimizer = et.train.Optimizer;

interface Case {
  name: string;
  make: () => Optimizer;
  /** Whether a fresh optimizer would continue differently (state or a schedule to restore). */
  stateful: boolean;
}

const CASES: Case[] = [
  { name: 'sgd', make: () => et.train.sgd(0.1), stateful: false },
  { name: 'sgd + exponentialDecay + clipvalue', make: () => et.train.sgd(et.train.exponentialDecay({ initialLearningRate: 0.2, decaySteps: 2, decayRate: 0.5, staircase: true }), { clipvalue: 0.3 }), stateful: true },
  { name: 'momentum', make: () => et.train.momentum(0.05, 0.9), stateful: true },
  { name: 'momentum nesterov + clipnorm', make: () => et.train.momentum(0.05, 0.8, true, { clipnorm: 0.5 }), stateful: true },
  { name: 'adam', make: () => et.train.adam(0.01), stateful: true },
  { name: 'adam + cosineDecay warm-up + globalClipnorm', make: () => et.train.adam(et.train.cosineDecay({ initialLearningRate: 0, decaySteps: 6, warmupTarget: 0.05, warmupSteps: 3, alpha: 0.1 }), 0.8, 0.99, 1e-6, { globalClipnorm: 0.7 }), stateful: true },
  { name: 'adamw', make: () => et.train.adamw(0.01, 0.9, 0.999, 1e-7, 0.1), stateful: true },
  { name: 'rmsprop', make: () => et.train.rmsprop(0.01), stateful: true },
  { name: 'rmsprop centered momentum + piecewiseConstantDecay', make: () => et.train.rmsprop(et.train.piecewiseConstantDecay({ boundaries: [2, 5], values: [0.02, 0.01, 0.005] }), 0.8, 0.5, 1e-6, true), stateful: true },
];

const K = 4;
const X = seeded([8, 3], 301, -1, 1);
const Y = seeded([8, 2], 302, -1, 1);
let varCount = 0;

/** A dense layer's variables under fresh global names, and its local names (what a model saves). */
function makeLayer(init: { kernel: et.Tensor; bias: et.Tensor }) {
  const id = varCount++;
  const kernel = et.variable(init.kernel, true, `state_${id}/kernel_${id}`);
  const bias = et.variable(init.bias, true, `state_${id}/bias_${id}`);
  const local = new Map<string, et.Variable>([['dense/kernel', kernel], ['dense/bias', bias]]);
  const nameOf = (v: et.Variable) => [...local].find(([, x]) => x === v)![0];
  return { kernel, bias, vars: [kernel, bias], nameOf, variableFor: (name: string) => local.get(name) };
}

function train(opt: Optimizer, vars: et.Variable[], steps: number): void {
  const [kernel, bias] = vars;
  for (let i = 0; i < steps; i++) {
    opt.minimize(() => et.tidy(() => et.losses.meanSquaredError(et.tensor(Y, [8, 2]), et.add(et.matMul(et.tensor(X, [8, 3]), kernel), bias))), false, vars);
  }
}

const values = (vars: et.Variable[]) => vars.map((v) => Array.from(v.dataSync()));
const rebuilt = (opt: Optimizer) => optimizerFromConfig({ className: opt.className, config: opt.getConfig() });

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe.each(TARGETS)('optimizer state on $name', (target) => {
  useTarget(target);
  const cleanup: { dispose(): void }[] = [];
  afterEach(() => {
    cleanup.forEach((x) => x.dispose());
    cleanup.length = 0;
  });

  it.each(CASES)('$name: restored from getConfig + getWeights, training continues bit for bit', async (c) => {
    const start = et.memory().numTensors;
    const init = { kernel: et.tensor(seeded([3, 2], 311, -1, 1), [3, 2]), bias: et.tensor(seeded([2], 312, -1, 1), [2]) };
    const a = makeLayer(init);
    const optA = c.make();
    train(optA, a.vars, K);
    const saved = await optA.getWeights(a.nameOf);
    const savedValues = a.vars.map((v) => et.clone(v));
    // The snapshot is a copy: continuing run A must not change it.
    train(optA, a.vars, K);
    const runA = values(a.vars);

    const b = makeLayer(init);
    b.vars.forEach((v, i) => v.assign(savedValues[i]));
    const optB = rebuilt(optA);
    expect(optB.className).toBe(optA.className);
    await optB.setWeights(saved, b.variableFor);
    expect(optB.iterations).toBe(K);
    // setWeights copies: the caller's tensors may go at once.
    saved.forEach((w) => w.tensor.dispose());
    train(optB, b.vars, K);
    expect(values(b.vars)).toEqual(runA);
    expect(optB.iterations).toBe(2 * K);

    // The same K steps from a fresh optimizer differ wherever there is state to restore.
    const fresh = makeLayer(init);
    fresh.vars.forEach((v, i) => v.assign(savedValues[i]));
    const optC = rebuilt(optA);
    train(optC, fresh.vars, K);
    if (c.stateful) expect(values(fresh.vars)).not.toEqual(runA);
    else expect(values(fresh.vars)).toEqual(runA);

    [optA, optB, optC, ...a.vars, ...b.vars, ...fresh.vars, ...savedValues, init.kernel, init.bias].forEach((x) => x.dispose());
    expect(et.memory().numTensors).toBe(start);
  });

  it.each(CASES)('$name: the config round-trips, through JSON too', (c) => {
    const opt = c.make();
    cleanup.push(opt);
    const config = opt.getConfig();
    const json = JSON.parse(JSON.stringify({ className: opt.className, config }));
    for (const back of [rebuilt(opt), optimizerFromConfig(json)]) {
      cleanup.push(back);
      expect(back.constructor).toBe(opt.constructor);
      expect(back.getConfig()).toEqual(config);
      // A schedule comes back as the same function of the step.
      for (const step of [0, 1, 2, 3, 5, 8, 20]) {
        opt.iterations = step;
        back.iterations = step;
        expect(back.currentLearningRate()).toBe(opt.currentLearningRate());
      }
    }
  });

  it('configs and class names are tfjs-core\'s (AdamW: Keras 3\'s names)', () => {
    const pairs: [Optimizer, tf.Optimizer][] = [
      [et.train.sgd(0.1), tf.train.sgd(0.1)],
      [et.train.momentum(0.1, 0.9, true), tf.train.momentum(0.1, 0.9, true)],
      [et.train.adam(), tf.train.adam(0.001, 0.9, 0.999, 1e-7)],
      [et.train.rmsprop(0.01), tf.train.rmsprop(0.01, 0.9, 0, 1e-7)],
      [et.train.rmsprop(0.01, 0.8, 0.5, 1e-6, true), tf.train.rmsprop(0.01, 0.8, 0.5, 1e-6, true)],
    ];
    for (const [ours, theirs] of pairs) {
      cleanup.push(ours);
      expect(ours.className).toBe(theirs.getClassName());
      expect((ours.constructor as unknown as { className: string }).className).toBe(theirs.getClassName());
      expect(ours.getConfig()).toStrictEqual(theirs.getConfig());
      theirs.dispose();
    }
    const adamw = et.train.adamw();
    cleanup.push(adamw);
    expect(adamw.className).toBe('AdamW');
    expect(adamw.getConfig()).toStrictEqual({ learningRate: 0.001, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    const clipped = et.train.adam(0.01, { clipnorm: 2 });
    const scheduled = et.train.sgd(et.train.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }));
    cleanup.push(clipped, scheduled);
    expect(clipped.getConfig()).toStrictEqual({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, clipnorm: 2 });
    expect(scheduled.getConfig()).toStrictEqual({
      learningRate: { className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: false } },
    });
  });

  it.each([
    ['Adam', () => et.train.adam(0.01), () => tf.train.adam(0.01, 0.9, 0.999, 1e-7)],
    ['RMSProp', () => et.train.rmsprop(0.01, 0.9, 0.3), () => tf.train.rmsprop(0.01, 0.9, 0.3, 1e-7)],
    ['RMSProp centered', () => et.train.rmsprop(0.01, 0.9, 0.3, 1e-7, true), () => tf.train.rmsprop(0.01, 0.9, 0.3, 1e-7, true)],
    ['Momentum', () => et.train.momentum(0.05, 0.9), () => tf.train.momentum(0.05, 0.9)],
    ['SGD', () => et.train.sgd(0.1), () => tf.train.sgd(0.1)],
  ] as const)('%s: getWeights has tfjs-core\'s names, order, shapes and dtypes; tfjs\' state resumes here', async (_, makeOurs, makeTheirs) => {
    const id = varCount++;
    const names = [`tfjs_${id}/kernel`, `tfjs_${id}/bias`];
    const shapes = [[3, 2], [2]];
    const inits = shapes.map((s, i) => Array.from(seeded(s, 321 + i, -1, 1)));
    const grads = (step: number) => shapes.map((s, i) => Array.from(seeded(s, 331 + 10 * step + i, -2, 2)));
    const ours = makeOurs();
    const theirs = makeTheirs();
    const vars = names.map((n, i) => et.variable(et.tensor(inits[i], shapes[i]), true, n));
    const tfVars = names.map((n, i) => tf.variable(tf.tensor(inits[i], shapes[i]), true, n));
    cleanup.push(ours, ...vars);
    const step = (s: number) => {
      const g = grads(s);
      et.tidy(() => ours.applyGradients(Object.fromEntries(names.map((n, i) => [n, et.tensor(g[i], shapes[i])]))));
      tf.tidy(() => theirs.applyGradients(names.map((name, i) => ({ name, tensor: tf.tensor(g[i], shapes[i]) }))));
    };
    step(0);
    step(1);
    const describeWeights = (ws: { name: string; tensor: { shape: number[]; dtype: string } }[]) => ws.map((w) => [w.name, w.tensor.shape, w.tensor.dtype]);
    const ourWeights = await ours.getWeights();
    const theirWeights = await theirs.getWeights();
    expect(describeWeights(ourWeights)).toEqual(describeWeights(theirWeights));
    for (let i = 0; i < ourWeights.length; i++) {
      expectClose(ourWeights[i].tensor, { values: Array.from(await theirWeights[i].tensor.data()), shape: theirWeights[i].tensor.shape }, 1e-5, 1e-6);
    }

    // tfjs' saved state, loaded into a fresh optimizer here, takes the step tfjs takes next.
    const resumed = makeOurs();
    cleanup.push(resumed);
    const converted = await Promise.all(theirWeights.map(async (w) => ({ name: w.name, tensor: et.tensor(Array.from(await w.tensor.data()), w.tensor.shape, w.tensor.dtype as et.DType) })));
    await resumed.setWeights(converted);
    expect(resumed.iterations).toBe(2);
    for (const [i, v] of vars.entries()) v.assign(et.tensor(Array.from(await tfVars[i].data()), shapes[i]));
    const g = grads(2);
    et.tidy(() => resumed.applyGradients(Object.fromEntries(names.map((n, i) => [n, et.tensor(g[i], shapes[i])]))));
    tf.tidy(() => theirs.applyGradients(names.map((name, i) => ({ name, tensor: tf.tensor(g[i], shapes[i]) }))));
    for (const [i, v] of vars.entries()) expectClose(v, { values: Array.from(await tfVars[i].data()), shape: shapes[i] }, 1e-5, 1e-6);

    [...ourWeights, ...converted].forEach((w) => w.tensor.dispose());
    theirs.dispose();
    tfVars.forEach((v) => v.dispose());
  });

  it('a fresh optimizer has only iter; weights are named by the variable unless mapped', async () => {
    const opt = et.train.adam(0.01);
    const v = et.variable(et.zeros([2]), true, `state_${varCount++}/w`);
    cleanup.push(opt, v);
    const empty = await opt.getWeights();
    expect(empty.map((w) => w.name)).toEqual(['iter']);
    expect(Array.from(empty[0].tensor.dataSync())).toEqual([0]);
    empty[0].tensor.dispose();
    opt.applyGradients({ [v.name]: et.ones([2]) });
    const named = await opt.getWeights();
    expect(named.map((w) => w.name)).toEqual(['iter', `${v.name}/m`, `${v.name}/v`]);
    const mapped = await opt.getWeights(() => 'dense/kernel');
    expect(mapped.map((w) => w.name)).toEqual(['iter', 'dense/kernel/m', 'dense/kernel/v']);
    [...named, ...mapped].forEach((w) => w.tensor.dispose());
  });

  it('setWeights refuses bad state before changing anything', async () => {
    const id = varCount++;
    const w = et.variable(et.zeros([2, 3]), true, `bad_${id}/w`);
    const b = et.variable(et.zeros([3]), true, `bad_${id}/b`);
    const opt = et.train.adam(0.1);
    cleanup.push(w, b, opt);
    opt.applyGradients({ [w.name]: et.ones([2, 3]), [b.name]: et.ones([3]) });
    opt.applyGradients({ [w.name]: et.ones([2, 3]), [b.name]: et.ones([3]) });
    const before = await opt.getWeights();
    const snapshot = before.map((x) => [x.name, Array.from(x.tensor.dataSync())]);
    const t = (shape: number[], value = 0.5) => et.full(shape, value);
    const good = () => [
      { name: 'iter', tensor: et.scalar(7, 'int32') },
      { name: `${w.name}/m`, tensor: t([2, 3]) },
      { name: `${b.name}/m`, tensor: t([3]) },
      { name: `${w.name}/v`, tensor: t([2, 3]) },
      { name: `${b.name}/v`, tensor: t([3]) },
    ];
    const cases: [{ name: string; tensor: et.Tensor }[], RegExp][] = [
      [good().slice(1), /Adam\.setWeights: the weights lack 'iter'/],
      [[...good(), { name: `${w.name}/velocity`, tensor: t([2, 3]) }], new RegExp(`unknown weight '${w.name}/velocity'; this optimizer keeps iter, <variable>/m, <variable>/v`)],
      [[...good(), { name: 'nowhere/m', tensor: t([1]) }], /no variable 'nowhere' for the weight 'nowhere\/m'/],
      [[...good().slice(0, 4), { name: `${b.name}/v`, tensor: t([2, 3]) }], new RegExp(`'${b.name}/v' has shape \\[2,\\s*3\\], the variable '${b.name}' \\[3\\]`)],
      [good().slice(0, 4), new RegExp(`the variable '${b.name}' lacks 'v'`)],
      [[...good(), { name: `${w.name}/m`, tensor: t([2, 3]) }], new RegExp(`'${w.name}/m' is given twice`)],
      [[{ name: 'iter', tensor: et.scalar(1.5) }, ...good().slice(1)], /'iter' must be an integer >= 0, got 1.5/],
      [[{ name: 'iter', tensor: et.tensor([1, 2], [2], 'int32') }, ...good().slice(1)], /'iter' must be a scalar, got shape \[2\]/],
    ];
    for (const [weights, message] of cases) {
      await expect(opt.setWeights(weights)).rejects.toThrow(message);
      weights.forEach((x) => x.tensor.dispose());
      const after = await opt.getWeights();
      expect(after.map((x) => [x.name, Array.from(x.tensor.dataSync())])).toEqual(snapshot);
      after.forEach((x) => x.tensor.dispose());
    }
    expect(opt.iterations).toBe(2);
    await expect(opt.setWeights({} as never)).rejects.toThrow(/expected an array of \{name, tensor\}/);
    await expect(opt.setWeights([{ name: 'iter', tensor: [0] }] as never)).rejects.toThrow(/element 0 must be \{name, tensor\}/);

    // Slots another configuration of the optimizer would keep are unknown here.
    const sgd = et.train.sgd(0.1);
    const rms = et.train.rmsprop(0.1);
    cleanup.push(sgd, rms);
    const iter = et.scalar(1, 'int32');
    const slot = et.zeros([3]);
    await expect(sgd.setWeights([{ name: 'iter', tensor: iter }, { name: `${b.name}/m`, tensor: slot }])).rejects.toThrow(/keeps iter$/);
    await expect(rms.setWeights([{ name: 'iter', tensor: iter }, { name: `${b.name}/mg`, tensor: slot }])).rejects.toThrow(/unknown weight .*\/mg'; this optimizer keeps iter, <variable>\/rms, <variable>\/momentum$/);
    await sgd.setWeights([{ name: 'iter', tensor: iter }]);
    expect(sgd.iterations).toBe(1);
    [...before.map((x) => x.tensor), iter, slot].forEach((x) => x.dispose());
  });

  it('optimizerFromConfig names an unknown class and checks the config', () => {
    expect(() => optimizerFromConfig({ className: 'Adamax', config: {} })).toThrow(/unknown optimizer class "Adamax"; known: SGD, Momentum, Adam, AdamW, RMSProp/);
    expect(() => optimizerFromConfig({ className: 'toString', config: {} })).toThrow(/unknown optimizer class "toString"/);
    expect(() => optimizerFromConfig(null as never)).toThrow(/expected \{className, config\}/);
    expect(() => optimizerFromConfig({ className: 'Adam', config: { beta1: 1 } })).toThrow(/beta1 must be a number in \[0, 1\), got 1/);
    expect(() => optimizerFromConfig({ className: 'Adam', config: { lr: 0.1 } })).toThrow(/unknown option.*'lr'/);
    expect(() => optimizerFromConfig({ className: 'SGD', config: {} })).toThrow(/learningRate is required/);
    expect(() => optimizerFromConfig({ className: 'SGD', config: 3 as never })).toThrow(/SGD\.fromConfig: expected a config object/);
    expect(() => optimizerFromConfig({ className: 'SGD', config: { learningRate: { className: 'StepDecay', config: {} } } })).toThrow(
      /unknown learning-rate schedule 'StepDecay'; known: ExponentialDecay, PiecewiseConstantDecay, CosineDecay/,
    );
    const defaults = optimizerFromConfig({ className: 'Adam' });
    cleanup.push(defaults);
    expect(defaults.getConfig()).toEqual(et.train.adam().getConfig());
  });
});
