/**
 * et.train: every optimizer against a hand-rolled float64 implementation of the tfjs formula,
 * over several steps (applyGradients with both argument forms, and minimize), with learning-rate
 * schedules and each kind of gradient clipping; schedules against Keras' formulas; memory; errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as et from '../src/index.js';
import { runKernel } from '../src/engine.js';
import { TARGETS, expectClose, seeded, useTarget } from './helpers.js';

type Slots = Record<string, number[]>;
type Hyper = Record<string, number | boolean>;
/** One float64 update of p (in place) by the tfjs formula; t is 1 for the first step. */
type RefUpdate = (p: number[], g: number[], s: Slots, lr: number, t: number, h: Hyper) => void;

const zerosFor = (s: Slots, name: string, n: number) => (s[name] ??= new Array(n).fill(0));

const REF: Record<string, RefUpdate> = {
  sgd: (p, g, _s, lr) => p.forEach((_, i) => (p[i] -= lr * g[i])),
  momentum: (p, g, s, lr, _t, h) => {
    const a = zerosFor(s, 'accum', p.length);
    const m = h.momentum as number;
    p.forEach((_, i) => {
      a[i] = m * a[i] + g[i];
      p[i] -= lr * (h.useNesterov ? g[i] + m * a[i] : a[i]);
    });
  },
  adam: (p, g, s, lr, t, h) => {
    const [m, v] = [zerosFor(s, 'm', p.length), zerosFor(s, 'v', p.length)];
    const [b1, b2, eps] = [h.beta1 as number, h.beta2 as number, h.epsilon as number];
    p.forEach((_, i) => {
      if (h.weightDecay !== undefined) p[i] -= lr * (h.weightDecay as number) * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const mHat = m[i] / (1 - b1 ** t);
      const vHat = v[i] / (1 - b2 ** t);
      p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    });
  },
  rmsprop: (p, g, s, lr, _t, h) => {
    const [ms, mg, mom] = [zerosFor(s, 'ms', p.length), zerosFor(s, 'mg', p.length), zerosFor(s, 'mom', p.length)];
    const [rho, momentum, eps] = [h.decay as number, h.momentum as number, h.epsilon as number];
    p.forEach((_, i) => {
      ms[i] = rho * ms[i] + (1 - rho) * g[i] * g[i];
      let denom: number;
      if (h.centered) {
        mg[i] = rho * mg[i] + (1 - rho) * g[i];
        denom = Math.sqrt(ms[i] - mg[i] * mg[i] + eps);
      } else {
        denom = Math.sqrt(ms[i] + eps);
      }
      mom[i] = momentum * mom[i] + (lr * g[i]) / denom;
      p[i] -= mom[i];
    });
  },
};

/** Keras' clipping of a list of float64 gradients. */
function refClip(gs: number[][], clip: et.train.ClipOptions): number[][] {
  const norm = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0));
  if (clip.clipvalue != null) return gs.map((g) => g.map((x) => Math.min(Math.max(x, -clip.clipvalue!), clip.clipvalue!)));
  if (clip.clipnorm != null) return gs.map((g) => g.map((x) => (x * clip.clipnorm!) / Math.max(norm(g), clip.clipnorm!)));
  if (clip.globalClipnorm != null) {
    const gn = norm(gs.flat());
    return gs.map((g) => g.map((x) => (x * clip.globalClipnorm!) / Math.max(gn, clip.globalClipnorm!)));
  }
  return gs;
}

interface Case {
  name: string;
  make: () => et.train.Optimizer;
  ref: keyof typeof REF;
  hyper: Hyper;
  lr: number | ((step: number) => number);
  clip?: et.train.ClipOptions;
}

const sched = et.train.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
const warm = et.train.cosineDecay({ initialLearningRate: 0, decaySteps: 4, warmupTarget: 0.05, warmupSteps: 2, alpha: 0.1 });
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const CASES: Case[] = [
  { name: 'sgd', make: () => et.train.sgd(0.1), ref: 'sgd', hyper: {}, lr: 0.1 },
  { name: 'sgd + exponentialDecay + clipvalue', make: () => et.train.sgd(sched, { clipvalue: 0.5 }), ref: 'sgd', hyper: {}, lr: sched, clip: { clipvalue: 0.5 } },
  { name: 'momentum', make: () => et.train.momentum(0.05, 0.9), ref: 'momentum', hyper: { momentum: 0.9, useNesterov: false }, lr: 0.05 },
  { name: 'momentum nesterov + clipnorm', make: () => et.train.momentum(0.05, 0.8, true, { clipnorm: 1 }), ref: 'momentum', hyper: { momentum: 0.8, useNesterov: true }, lr: 0.05, clip: { clipnorm: 1 } },
  { name: 'adam (defaults)', make: () => et.train.adam(), ref: 'adam', hyper: ADAM, lr: 0.001 },
  { name: 'adam custom + cosineDecay warm-up', make: () => et.train.adam(warm, 0.8, 0.99, 1e-3), ref: 'adam', hyper: { beta1: 0.8, beta2: 0.99, epsilon: 1e-3 }, lr: warm },
  { name: 'adam + globalClipnorm', make: () => et.train.adam(0.01, { globalClipnorm: 0.7 }), ref: 'adam', hyper: ADAM, lr: 0.01, clip: { globalClipnorm: 0.7 } },
  { name: 'adamw (defaults)', make: () => et.train.adamw(), ref: 'adam', hyper: { ...ADAM, weightDecay: 0.004 }, lr: 0.001 },
  { name: 'adamw strong decay', make: () => et.train.adamw(0.05, 0.9, 0.999, 1e-7, 0.5), ref: 'adam', hyper: { ...ADAM, weightDecay: 0.5 }, lr: 0.05 },
  { name: 'rmsprop', make: () => et.train.rmsprop(0.01), ref: 'rmsprop', hyper: { decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false }, lr: 0.01 },
  { name: 'rmsprop momentum centered', make: () => et.train.rmsprop(0.01, 0.8, 0.5, 1e-6, true), ref: 'rmsprop', hyper: { decay: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true }, lr: 0.01 },
  { name: 'rmsprop by options', make: () => et.train.rmsprop({ learningRate: 0.02, momentum: 0.3, clipvalue: 0.4 }), ref: 'rmsprop', hyper: { decay: 0.9, momentum: 0.3, epsilon: 1e-7, centered: false }, lr: 0.02, clip: { clipvalue: 0.4 } },
];

const STEPS = 6;
const SHAPES = { w: [2, 3], b: [3] };

/** Runs the float64 reference over `steps` with gradients gradFn(step, params). */
function runReference(c: Case, init: number[][], gradFn: (step: number, params: number[][]) => number[][]): number[][][] {
  const params = init.map((p) => p.slice());
  const slots: Slots[] = params.map(() => ({}));
  const history: number[][][] = [];
  for (let step = 0; step < STEPS; step++) {
    const lr = typeof c.lr === 'function' ? c.lr(step) : c.lr;
    const gs = refClip(gradFn(step, params), c.clip ?? {});
    params.forEach((p, i) => REF[c.ref](p, gs[i], slots[i], lr, step + 1, c.hyper));
    history.push(params.map((p) => p.slice()));
  }
  return history;
}

let varCount = 0;
function makeVars() {
  const init = [Array.from(seeded([6], 71, -1, 1)), Array.from(seeded([3], 72, -1, 1))];
  const id = varCount++;
  return {
    init,
    w: et.variable(et.tensor(init[0], SHAPES.w), true, `w_${id}`),
    b: et.variable(et.tensor(init[1], SHAPES.b), true, `b_${id}`),
  };
}

/** Fixed gradients per step (not depending on the parameters), different every step. */
const fixedGrads = (step: number) => [Array.from(seeded([6], 100 + step, -2, 2)), Array.from(seeded([3], 200 + step, -2, 2))];
/** A quadratic loss sum(c * (p - target)^2): gradient 2 c (p - target). */
const C = [Array.from(seeded([6], 81, 0.5, 2)), Array.from(seeded([3], 82, 0.5, 2))];
const TARGET = [Array.from(seeded([6], 83, -1, 1)), Array.from(seeded([3], 84, -1, 1))];
const quadraticGrads = (_: number, params: number[][]) => params.map((p, k) => p.map((x, i) => 2 * C[k][i] * (x - TARGET[k][i])));
const quadraticLoss = (params: number[][]) => params.reduce((acc, p, k) => acc + p.reduce((a, x, i) => a + C[k][i] * (x - TARGET[k][i]) ** 2, 0), 0);

describe.each(TARGETS)('optimizers on $name', (target) => {
  useTarget(target);
  const cleanup: (et.Variable | et.train.Optimizer)[] = [];
  afterEach(() => {
    cleanup.forEach((x) => x.dispose());
    cleanup.length = 0;
  });

  it.each(CASES)('$name: applyGradients matches the float64 tfjs formula', (c) => {
    const { init, w, b } = makeVars();
    const opt = c.make();
    cleanup.push(w, b, opt);
    const expected = runReference(c, init, fixedGrads);
    for (let step = 0; step < STEPS; step++) {
      const [gw, gb] = fixedGrads(step);
      et.tidy(() => {
        const gradients = { [w.name]: et.tensor(gw, SHAPES.w), [b.name]: et.tensor(gb, SHAPES.b) };
        // Both forms: the tfjs map and the array of {name, tensor}.
        if (step % 2 === 0) opt.applyGradients(gradients);
        else opt.applyGradients(Object.entries(gradients).map(([name, tensor]) => ({ name, tensor })));
      });
      expectClose(w, { values: expected[step][0], shape: SHAPES.w }, 2e-5, 2e-6);
      expectClose(b, { values: expected[step][1], shape: SHAPES.b }, 2e-5, 2e-6);
    }
    expect(opt.iterations).toBe(STEPS);
  });

  it.each(CASES)('$name: minimize matches the float64 tfjs formula', (c) => {
    const { init, w, b } = makeVars();
    const opt = c.make();
    cleanup.push(w, b, opt);
    const expected = runReference(c, init, quadraticGrads);
    const Ct = C.map((x, k) => et.tensor(x, k === 0 ? SHAPES.w : SHAPES.b));
    const Tt = TARGET.map((x, k) => et.tensor(x, k === 0 ? SHAPES.w : SHAPES.b));
    const f = () => et.add(et.sum(et.mul(Ct[0], et.square(et.sub(w, Tt[0])))), et.sum(et.mul(Ct[1], et.square(et.sub(b, Tt[1])))));
    let params = init;
    for (let step = 0; step < STEPS; step++) {
      const cost = opt.minimize(f, true, [w, b])!;
      expect(cost.shape).toEqual([]);
      expect(cost.dataSync()[0]).toBeCloseTo(quadraticLoss(params), 4);
      cost.dispose();
      params = expected[step];
      expectClose(w, { values: params[0], shape: SHAPES.w }, 2e-5, 2e-6);
      expectClose(b, { values: params[1], shape: SHAPES.b }, 2e-5, 2e-6);
    }
    [...Ct, ...Tt].forEach((t) => t.dispose());
  });

  it('minimize without varList trains every trainable variable; returnCost false gives null', () => {
    const v = et.variable(et.tensor([1, -2]), true, 'opt_all_v');
    const frozen = et.variable(et.tensor([5]), false, 'opt_all_frozen');
    const opt = et.train.sgd(0.25);
    cleanup.push(v, frozen, opt);
    expect(opt.minimize(() => et.add(et.sum(et.square(v)), et.sum(frozen)))).toBeNull();
    // d/dv sum(v^2) = 2v: v - 0.25 * 2v = v / 2.
    expectClose(v, { values: [0.5, -1], shape: [2] });
    expectClose(frozen, { values: [5], shape: [1] });
  });

  it.each([
    ['sgd', 'SgdUpdate', () => et.train.sgd(0.1)],
    ['momentum', 'MomentumUpdate', () => et.train.momentum(0.1, 0.9)],
    ['adam', 'AdamUpdate', () => et.train.adam(0.01)],
    ['rmsprop centered', 'RmspropUpdate', () => et.train.rmsprop(0.01, 0.9, 0.5, 1e-7, true)],
  ] as const)('%s updates every variable of a step in one kernel call', (_, kernelName, make) => {
    const { w, b } = makeVars();
    const opt = make();
    cleanup.push(w, b, opt);
    const before = [w.dataSync().slice(), b.dataSync().slice()];
    const { kernels } = et.profile(() =>
      et.tidy(() => opt.applyGradients({ [w.name]: et.ones(SHAPES.w), [b.name]: et.ones(SHAPES.b) })),
    );
    expect(kernels.find((k) => k.name === kernelName)?.calls).toBe(1);
    expect(w.dataSync().every((x, i) => x !== before[0][i])).toBe(true);
    expect(b.dataSync().every((x, i) => x !== before[1][i])).toBe(true);
  });

  it('an optimizer kernel refuses inputs that are not whole groups of parameter, gradient and slots', () => {
    const t = et.zeros([3]);
    expect(() => runKernel('AdamUpdate', [t, t, t], { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, iteration: 1, weightDecay: 0 })).toThrow(
      /AdamUpdate: expected groups of 4 tensors \(parameter, gradient, slots\), got 3 inputs/,
    );
    t.dispose();
  });

  it('leaks no tensors over 100 steps; dispose frees the slots', () => {
    for (const make of [() => et.train.adam(0.01), () => et.train.rmsprop(0.01, 0.9, 0.5, 1e-7, true, { clipnorm: 1 }), () => et.train.momentum(0.1, 0.9)]) {
      const { w, b } = makeVars();
      const opt = make();
      const x = et.tensor(seeded([4, 2], 91, -1, 1), [4, 2]);
      const loss = () => et.losses.meanSquaredError(et.zeros([4, 3]), et.add(et.matMul(x, w), b));
      const beforeFirst = et.memory().numTensors;
      opt.minimize(loss, false, [w, b]);
      const slotCount = Object.values(opt.getSlots()).reduce((n, s) => n + Object.keys(s).length, 0);
      expect(et.memory().numTensors).toBe(beforeFirst + slotCount);
      const after1 = et.memory().numTensors;
      for (let i = 0; i < 100; i++) opt.minimize(loss, false, [w, b]);
      expect(et.memory().numTensors).toBe(after1);
      for (let i = 0; i < 10; i++) opt.minimize(loss, true, [w, b])!.dispose();
      et.tidy(() => {
        opt.minimize(loss, true, [w, b]);
      });
      expect(et.memory().numTensors).toBe(after1);
      opt.dispose();
      expect(et.memory().numTensors).toBe(beforeFirst);
      expect(() => opt.minimize(loss)).toThrow(/disposed/);
      [x, w, b].forEach((t) => t.dispose());
    }
  });
});

describe('learning-rate schedules (Keras formulas)', () => {
  it('exponentialDecay, smooth and staircase', () => {
    const smooth = et.train.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const stairs = et.train.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    for (const step of [0, 1, 5, 10, 15, 27]) {
      expect(smooth(step)).toBeCloseTo(0.1 * 0.5 ** (step / 10), 15);
      expect(stairs(step)).toBeCloseTo(0.1 * 0.5 ** Math.floor(step / 10), 15);
    }
  });

  it('piecewiseConstantDecay: values[i] while step <= boundaries[i]', () => {
    const s = et.train.piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect([0, 10, 11, 20, 21, 100].map(s)).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });

  it('cosineDecay, with and without linear warm-up', () => {
    const plain = et.train.cosineDecay({ initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1 });
    for (const step of [0, 25, 50, 100, 150]) {
      const frac = Math.min(step, 100) / 100;
      expect(plain(step)).toBeCloseTo(0.2 * (0.9 * 0.5 * (1 + Math.cos(Math.PI * frac)) + 0.1), 15);
    }
    const warm = et.train.cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 });
    expect([0, 5, 10].map(warm)).toEqual([0, 0.05, 0.1]);
    expect(warm(60)).toBeCloseTo(0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.5)), 15);
    expect(warm(110)).toBeCloseTo(0, 15);
    expect(warm(500)).toBeCloseTo(0, 15);
  });

  it('reject invalid configurations with the allowed values', () => {
    expect(() => et.train.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(/decaySteps must be a finite number > 0, got 0/);
    expect(() => et.train.piecewiseConstantDecay({ boundaries: [10, 5], values: [1, 2, 3] })).toThrow(/boundaries must increase/);
    expect(() => et.train.piecewiseConstantDecay({ boundaries: [10], values: [1] })).toThrow(/one more element than boundaries/);
    expect(() => et.train.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 2 })).toThrow(/alpha must be a number in \[0, 1\]/);
    expect(() => et.train.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 1 })).toThrow(/warmupSteps > 0/);
  });
});

describe('optimizer arguments and errors', () => {
  useTarget({ name: 'js', backend: 'js' });

  it('defaults follow tfjs / Keras', () => {
    const a = et.train.adam();
    expect([a.learningRate, a.beta1, a.beta2, a.epsilon]).toEqual([0.001, 0.9, 0.999, 1e-7]);
    const aw = et.train.adamw();
    expect([aw.learningRate, aw.beta1, aw.beta2, aw.epsilon, aw.weightDecay]).toEqual([0.001, 0.9, 0.999, 1e-7, 0.004]);
    const r = et.train.rmsprop(0.01);
    expect([r.decay, r.momentum, r.epsilon, r.centered]).toEqual([0.9, 0, 1e-7, false]);
    expect(et.train.momentum(0.1, 0.9).useNesterov).toBe(false);
    expect(et.train.adam(0.01, { clipnorm: 2 }).clipOptions).toEqual({ clipnorm: 2 });
  });

  it('invalid options name the allowed values', () => {
    expect(() => et.train.sgd(-1)).toThrow(/learningRate must be a finite number >= 0 or a schedule/);
    expect(() => (et.train.sgd as () => unknown)()).toThrow(/learningRate is required/);
    expect(() => et.train.adam(0.001, 1)).toThrow(/beta1 must be a number in \[0, 1\), got 1/);
    expect(() => et.train.momentum(0.1, 1.5)).toThrow(/momentum must be a number in \[0, 1\], got 1.5/);
    expect(() => et.train.rmsprop(0.1, 0.9, 0, -1)).toThrow(/epsilon must be a finite number >= 0/);
    expect(() => et.train.adam(0.01, { clipnorm: 1, clipvalue: 1 })).toThrow(/at most one of clipvalue, clipnorm and globalClipnorm/);
    expect(() => et.train.sgd(0.1, { clipvalue: 0 })).toThrow(/clipvalue must be a finite number > 0/);
    expect(() => et.train.adam({ lr: 0.1 } as never)).toThrow(/unknown option.*'lr'.*allowed: learningRate/);
    expect(() => et.train.adam(0.1, { learningRate: 0.2 })).toThrow(/learningRate is given twice/);
    expect(() => et.train.sgd(() => Number.NaN).applyGradients({})).not.toThrow();
  });

  it('applyGradients reports unknown names and shape mismatches', () => {
    const v = et.variable(et.zeros([2, 2]), true, 'opt_err_v');
    const opt = et.train.sgd(() => Number.NaN);
    const good = et.zeros([2, 2]);
    const bad = et.zeros([3]);
    try {
      expect(() => opt.applyGradients({ nope: good })).toThrow(/no variable named 'nope'/);
      expect(() => opt.applyGradients([{ name: 'opt_err_v', tensor: bad }])).toThrow(/'opt_err_v' has shape \[3\], the variable \[2,\s*2\]/);
      expect(() => opt.applyGradients({ opt_err_v: good })).toThrow(/learning-rate schedule gave NaN at step 0/);
    } finally {
      [v, good, bad].forEach((t) => t.dispose());
      opt.dispose();
    }
  });

  it('clipping helpers', () => {
    et.tidy(() => {
      const [a, b] = et.train.clipByGlobalNorm([et.tensor([3, 0]), et.tensor([0, 4])], 1);
      expectClose(a, { values: [0.6, 0], shape: [2] });
      expectClose(b, { values: [0, 0.8], shape: [2] });
      expectClose(et.train.clipByNorm(et.tensor([3, 4]), 10), { values: [3, 4], shape: [2] });
      expectClose(et.train.clipByNorm(et.tensor([3, 4]), 1), { values: [0.6, 0.8], shape: [2] });
    });
  });
});

describe('minimize on a loss that f did not make', () => {
  it('leaves a returned variable alive', () => {
    et.setBackend('js');
    const v = et.variable(et.scalar(2), true, 'minimize_returns_variable');
    et.train.sgd(0.5).minimize(() => v, false, [v]);
    expect(v.isDisposed).toBe(false);
    expect(v.dataSync()[0]).toBeCloseTo(1.5, 6);
    v.dispose();
  });
});
