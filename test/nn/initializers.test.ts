/**
 * et.initializers against Keras' formulas: fans, the statistics of large samples (mean, std,
 * bounds, how much mass sits where a truncated normal, a normal and a uniform differ),
 * determinism under setSeed and explicit seeds, the same values on every backend, names in
 * both spellings and bad input.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, oracle, useTarget } from '../helpers.js';

const init = et.initializers;
const values = (t: et.Tensor) => Array.from(t.dataSync());

/** Keras' correction: the std of a standard normal truncated to [-2, 2]. */
const TRUNCATION_STD = 0.87962566103423978;
/** P(|z| > 1 | |z| <= 2) for a standard normal z: separates a truncated normal from a normal (0.3173) and a uniform. */
const TRUNCATED_TAIL_BEYOND_1 = (0.9544997361036416 - 0.6826894921370859) / 0.9544997361036416;

interface Stats { mean: number; std: number; min: number; max: number; beyond: (x: number) => number }

function statsOf(t: et.Tensor): Stats {
  const v = t.dataSync();
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  const beyond = (k: number) => {
    let c = 0;
    for (const x of v) if (Math.abs(x - mean) > k) c++;
    return c / v.length;
  };
  return { mean, std: Math.sqrt(sq / v.length), min, max, beyond };
}

const relClose = (got: number, want: number, rtol: number) => {
  if (!(Math.abs(got - want) <= rtol * Math.abs(want))) expect.fail(`expected ${want} within ${rtol * 100}%, got ${got}`);
};

/** A uniform sample on [lo, hi]: inside the bounds, reaching both ends, std (hi - lo) / sqrt(12), flat quarters. */
function expectUniform(t: et.Tensor, lo: number, hi: number): void {
  const s = statsOf(t);
  const width = hi - lo;
  expect(s.min).toBeGreaterThanOrEqual(Math.fround(lo));
  expect(s.max).toBeLessThanOrEqual(Math.fround(hi));
  expect(s.min).toBeLessThan(lo + 0.002 * width);
  expect(s.max).toBeGreaterThan(hi - 0.002 * width);
  expect(Math.abs(s.mean - (lo + hi) / 2)).toBeLessThan(0.01 * width);
  relClose(s.std, width / Math.sqrt(12), 0.01);
  const v = t.dataSync();
  const quarters = [0, 0, 0, 0];
  for (const x of v) quarters[Math.min(3, Math.floor(((x - lo) / width) * 4))]++;
  for (const q of quarters) relClose(q / v.length, 0.25, 0.03);
}

/** A normal truncated at 2 of its own stddev (`stddev`): bounded there, std stddev * 0.8796, Keras' tail mass. */
function expectTruncatedNormal(t: et.Tensor, mean: number, stddev: number): void {
  const s = statsOf(t);
  expect(s.min).toBeGreaterThanOrEqual(Math.fround(mean - 2 * stddev) - 1e-6 * stddev);
  expect(s.max).toBeLessThanOrEqual(Math.fround(mean + 2 * stddev) + 1e-6 * stddev);
  expect(s.max).toBeGreaterThan(mean + 1.95 * stddev);
  expect(s.min).toBeLessThan(mean - 1.95 * stddev);
  expect(Math.abs(s.mean - mean)).toBeLessThan(0.02 * stddev);
  relClose(s.std, stddev * TRUNCATION_STD, 0.01);
  relClose(s.beyond(stddev), TRUNCATED_TAIL_BEYOND_1, 0.03);
}

describe('fans (Keras compute_fans)', () => {
  it('are [in, out] for a matrix, times the receptive field for conv kernels', () => {
    expect(init.fans([300, 200])).toEqual({ fanIn: 300, fanOut: 200 });
    expect(init.fans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(init.fans([5, 8, 4])).toEqual({ fanIn: 40, fanOut: 20 });
    expect(init.fans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(init.fans([])).toEqual({ fanIn: 1, fanOut: 1 });
  });
});

describe('initializer statistics on large shapes', () => {
  const dense = [400, 300]; // fanIn 400, fanOut 300
  const conv = [3, 3, 64, 128]; // fanIn 576, fanOut 1152

  it('glorotUniform: limit sqrt(6 / (fanIn + fanOut))', () => {
    const limit = Math.sqrt(6 / 700);
    expectUniform(init.glorotUniform({ seed: 1 }).apply(dense), -limit, limit);
    const convLimit = Math.sqrt(6 / (576 + 1152));
    expectUniform(init.glorotUniform({ seed: 2 }).apply(conv), -convLimit, convLimit);
  });

  it('heUniform: limit sqrt(6 / fanIn); lecunUniform: limit sqrt(3 / fanIn)', () => {
    expectUniform(init.heUniform({ seed: 3 }).apply(dense), -Math.sqrt(6 / 400), Math.sqrt(6 / 400));
    expectUniform(init.heUniform({ seed: 4 }).apply(conv), -Math.sqrt(6 / 576), Math.sqrt(6 / 576));
    expectUniform(init.lecunUniform({ seed: 5 }).apply(dense), -Math.sqrt(3 / 400), Math.sqrt(3 / 400));
    expectUniform(init.lecunUniform({ seed: 6 }).apply(conv), -Math.sqrt(3 / 576), Math.sqrt(3 / 576));
  });

  it('glorotNormal / heNormal / lecunNormal: truncated normals of stddev sqrt(scale / fan) / 0.8796', () => {
    expectTruncatedNormal(init.glorotNormal({ seed: 7 }).apply(dense), 0, Math.sqrt(1 / 350) / TRUNCATION_STD);
    expectTruncatedNormal(init.glorotNormal({ seed: 8 }).apply(conv), 0, Math.sqrt(1 / 864) / TRUNCATION_STD);
    expectTruncatedNormal(init.heNormal({ seed: 9 }).apply(dense), 0, Math.sqrt(2 / 400) / TRUNCATION_STD);
    expectTruncatedNormal(init.heNormal({ seed: 10 }).apply(conv), 0, Math.sqrt(2 / 576) / TRUNCATION_STD);
    expectTruncatedNormal(init.lecunNormal({ seed: 11 }).apply(dense), 0, Math.sqrt(1 / 400) / TRUNCATION_STD);
    expectTruncatedNormal(init.lecunNormal({ seed: 12 }).apply(conv), 0, Math.sqrt(1 / 576) / TRUNCATION_STD);
  });

  it('the variance-scaling normals end up with std sqrt(scale / fan), the point of the correction', () => {
    relClose(statsOf(init.heNormal({ seed: 13 }).apply(dense)).std, Math.sqrt(2 / 400), 0.01);
    relClose(statsOf(init.glorotNormal({ seed: 14 }).apply(dense)).std, Math.sqrt(2 / 700), 0.01);
  });

  it('truncatedNormal resamples beyond 2 stddev; randomNormal does not', () => {
    expectTruncatedNormal(init.truncatedNormal({ mean: 2, stddev: 0.5, seed: 15 }).apply(dense), 2, 0.5);
    const normal = statsOf(init.randomNormal({ mean: -1, stddev: 3, seed: 16 }).apply(dense));
    expect(Math.abs(normal.mean + 1)).toBeLessThan(0.05);
    relClose(normal.std, 3, 0.01);
    relClose(normal.beyond(6), 1 - 0.9544997361036416, 0.06);
    relClose(normal.beyond(3), 1 - 0.6826894921370859, 0.02);
  });

  it('randomUniform covers [minval, maxval)', () => {
    expectUniform(init.randomUniform({ minval: -3, maxval: 5, seed: 17 }).apply(dense), -3, 5);
  });

  it('default to Keras: randomNormal / truncatedNormal stddev 0.05, randomUniform [-0.05, 0.05]', () => {
    et.setSeed(18);
    relClose(statsOf(init.randomNormal().apply(dense)).std, 0.05, 0.01);
    expectTruncatedNormal(init.truncatedNormal().apply(dense), 0, 0.05);
    expectUniform(init.randomUniform().apply(dense), -0.05, 0.05);
  });

  it('zeros, ones and constant fill exactly, in the requested dtype', () => {
    const z = init.zeros().apply([2, 3]);
    expect(z.shape).toEqual([2, 3]);
    expect(z.dtype).toBe('float32');
    expect(values(z)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(values(init.ones().apply([4]))).toEqual([1, 1, 1, 1]);
    const c = init.constant({ value: -2.5 }).apply([3, 1]);
    expect(c.shape).toEqual([3, 1]);
    expect(values(c)).toEqual([-2.5, -2.5, -2.5]);
    const i = init.ones().apply([2], 'int32');
    expect(i.dtype).toBe('int32');
    expect(values(i)).toEqual([1, 1]);
    expect(init.zeros().apply([]).shape).toEqual([]);
  });
});

describe('initializer determinism', () => {
  it('replays the global stream after setSeed, and moves on without it', () => {
    et.setSeed(42);
    const a1 = values(init.glorotNormal().apply([6, 5]));
    const a2 = values(init.glorotNormal().apply([6, 5]));
    et.setSeed(42);
    expect(values(init.glorotNormal().apply([6, 5]))).toEqual(a1);
    expect(values(init.glorotNormal().apply([6, 5]))).toEqual(a2);
    expect(a2).not.toEqual(a1);
    et.setSeed(43);
    expect(values(init.glorotNormal().apply([6, 5]))).not.toEqual(a1);
  });

  it('an explicit seed repeats on every call, whatever the global seed, and leaves the global stream alone', () => {
    const seeded = init.heUniform({ seed: 7 });
    et.setSeed(1);
    const a = values(seeded.apply([4, 4]));
    et.setSeed(2);
    expect(values(seeded.apply([4, 4]))).toEqual(a);
    expect(values(init.heUniform({ seed: 7 }).apply([4, 4]))).toEqual(a);
    expect(values(init.heUniform({ seed: 8 }).apply([4, 4]))).not.toEqual(a);

    et.setSeed(3);
    const unseeded = values(et.randomNormal([8]));
    et.setSeed(3);
    init.truncatedNormal({ seed: 9 }).apply([50]);
    init.randomNormal({ seed: 9 }).apply([50]);
    expect(values(et.randomNormal([8]))).toEqual(unseeded);
  });

  it('the two spellings of a name give the same initializer', () => {
    for (const [camel, snake] of [['glorotUniform', 'glorot_uniform'], ['heNormal', 'he_normal'], ['lecunUniform', 'lecun_uniform'], ['truncatedNormal', 'truncated_normal']]) {
      et.setSeed(11);
      const a = values(init.getInitializer(camel, 'zeros').apply([3, 4]));
      et.setSeed(11);
      expect(values(init.getInitializer(snake, 'zeros').apply([3, 4]))).toEqual(a);
    }
  });
});

describe.each(TARGETS)('initializers on $name', (target) => {
  useTarget(target);

  it('give the js values on the active backend', () => {
    const factories: [string, () => et.initializers.Initializer][] = [
      ['glorotUniform', () => init.glorotUniform({ seed: 21 })],
      ['heNormal', () => init.heNormal({ seed: 22 })],
      ['truncatedNormal', () => init.truncatedNormal({ stddev: 2, seed: 23 })],
      ['randomNormal', () => init.randomNormal({ seed: 24 })],
      ['constant', () => init.constant({ value: 0.25 })],
    ];
    for (const [, make] of factories) {
      const expected = oracle(() => make().apply([17, 9]));
      const t = make().apply([17, 9]);
      expect(t.backend).toBe(target.backend);
      expectClose(t, expected, 0, 0);
      t.dispose();
    }
  });

  it('leave one tensor behind per call', () => {
    const before = et.memory().numTensors;
    const t = init.glorotNormal({ seed: 1 }).apply([32, 16]);
    expect(et.memory().numTensors).toBe(before + 1);
    t.dispose();
  });
});

describe('getInitializer', () => {
  const classNames: Record<string, string> = {
    glorotUniform: 'GlorotUniform', glorotNormal: 'GlorotNormal', heUniform: 'HeUniform', heNormal: 'HeNormal',
    lecunUniform: 'LecunUniform', lecunNormal: 'LecunNormal', zeros: 'Zeros', ones: 'Ones',
    randomNormal: 'RandomNormal', randomUniform: 'RandomUniform', truncatedNormal: 'TruncatedNormal',
    varianceScaling: 'VarianceScaling',
  };

  it('takes Keras names in camelCase and snake_case', () => {
    for (const [camel, className] of Object.entries(classNames)) {
      const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      expect(init.getInitializer(camel, 'zeros').className).toBe(className);
      expect(init.getInitializer(snake, 'zeros').className).toBe(className);
    }
  });

  it('uses the default name for undefined and passes initializer objects through', () => {
    expect(init.getInitializer(undefined, 'heNormal').className).toBe('HeNormal');
    const custom = init.constant({ value: 3 });
    expect(init.getInitializer(custom, 'zeros')).toBe(custom);
  });

  it('names the unknown identifier and lists the allowed names', () => {
    const allowed = /'glorotUniform'.*'glorotNormal'.*'heUniform'.*'heNormal'.*'lecunUniform'.*'lecunNormal'.*'zeros'.*'ones'.*'randomNormal'.*'randomUniform'.*'truncatedNormal'/;
    expect(() => init.getInitializer('glorot_unifrom', 'zeros')).toThrow(/unknown initializer "glorot_unifrom"/);
    expect(() => init.getInitializer('glorot_unifrom', 'zeros')).toThrow(allowed);
    expect(() => init.getInitializer(undefined, 'xavier')).toThrow(/unknown initializer/);
    expect(() => init.getInitializer(5 as never, 'zeros')).toThrow(allowed);
    expect(() => init.getInitializer({} as never, 'zeros')).toThrow(/unknown initializer \{\}/);
  });
});

describe('initializer argument errors', () => {
  it('reject bad shapes, spreads, bounds, seeds and constants', () => {
    expect(() => init.glorotUniform().apply([3, -1])).toThrow(/shape must be an array of non-negative integers, got \[3,-1\]/);
    expect(() => init.zeros().apply([2.5])).toThrow(/shape must be an array of non-negative integers/);
    expect(() => init.randomNormal({ stddev: -1 })).toThrow(/randomNormal: stddev must be a finite number >= 0, got -1/);
    expect(() => init.truncatedNormal({ stddev: Infinity })).toThrow(/truncatedNormal: stddev must be a finite number >= 0/);
    expect(() => init.randomUniform({ minval: 1, maxval: 0 })).toThrow(/randomUniform: maxval \(0\) must be >= minval \(1\)/);
    expect(() => init.glorotUniform({ seed: NaN }).apply([2])).toThrow(/GlorotUniform: seed must be a finite number, got NaN/);
    expect(() => init.constant({} as never)).toThrow(/constant: expected \{value: number\}/);
    expect(() => init.constant({ value: '1' } as never)).toThrow(/constant: expected \{value: number\}/);
  });
});

describe('initializer configs (Keras get_config)', () => {
  it('hold the class\'s arguments, seed null when drawing from the global stream', () => {
    expect(init.glorotUniform({ seed: 3 }).getConfig()).toEqual({ seed: 3 });
    expect(init.heNormal().getConfig()).toEqual({ seed: null });
    expect(init.randomNormal({ mean: 1, stddev: 2, seed: 4 }).getConfig()).toEqual({ mean: 1, stddev: 2, seed: 4 });
    expect(init.truncatedNormal().getConfig()).toEqual({ mean: 0, stddev: 0.05, seed: null });
    expect(init.randomUniform({ minval: -1 }).getConfig()).toEqual({ minval: -1, maxval: 0.05, seed: null });
    expect(init.constant({ value: 2 }).getConfig()).toEqual({ value: 2 });
    expect(init.zeros().getConfig()).toEqual({});
    expect(init.ones().getConfig()).toEqual({});
  });

  it('rebuild the same initializer from its config', () => {
    const original = init.randomUniform({ minval: -2, maxval: 3, seed: 6 });
    expect(values(init.randomUniform(original.getConfig()).apply([4, 3]))).toEqual(values(original.apply([4, 3])));
    et.setSeed(8);
    const a = values(init.lecunNormal().apply([5]));
    et.setSeed(8);
    expect(values(init.lecunNormal(init.lecunNormal().getConfig()).apply([5]))).toEqual(a);
  });

  it('take a snake_case default name and refuse to draw integers', () => {
    expect(init.getInitializer(undefined, 'glorot_uniform').className).toBe('GlorotUniform');
    expect(() => init.getInitializer(undefined, 'xavier')).toThrow(/unknown initializer "xavier"/);
    expect(() => init.glorotUniform().apply([2, 2], 'int32')).toThrow(/GlorotUniform: dtype must be 'float32', got "int32"/);
  });
});

describe('varianceScaling (Keras VarianceScaling)', () => {
  it('draws uniform in +-sqrt(3 scale / fan) and truncated normal with std sqrt(scale / fan)', () => {
    // PyTorch's nn.Linear default is scale 1/3, fan_in, uniform: limit 1 / sqrt(fanIn).
    const uniform = statsOf(init.varianceScaling({ scale: 1 / 3, mode: 'fan_in', distribution: 'uniform', seed: 1 }).apply([400, 300]));
    expect(uniform.max).toBeLessThanOrEqual(1 / 20);
    expect(uniform.max).toBeGreaterThan(0.0495);
    expect(uniform.std).toBeCloseTo(1 / 20 / Math.sqrt(3), 3);
    const normal = statsOf(init.varianceScaling({ scale: 2, mode: 'fanOut', seed: 2 }).apply([300, 200]));
    expect(normal.std).toBeCloseTo(Math.sqrt(2 / 200), 3);
    expect(normal.max).toBeLessThanOrEqual(2 * Math.sqrt(2 / 200) / TRUNCATION_STD + 1e-6);
    expect(normal.beyond(Math.sqrt(2 / 200) / TRUNCATION_STD)).toBeCloseTo(TRUNCATED_TAIL_BEYOND_1, 2);
  });

  it('gives Keras\' config and rebuilds from it; rejects bad arguments', () => {
    const vs = init.varianceScaling({ scale: 0.5, mode: 'fanAvg', distribution: 'uniform', seed: 3 });
    expect(vs.getConfig()).toEqual({ scale: 0.5, mode: 'fan_avg', distribution: 'uniform', seed: 3 });
    expect(values(init.varianceScaling(vs.getConfig() as never).apply([3, 4]))).toEqual(values(vs.apply([3, 4])));
    expect(() => init.varianceScaling({ scale: 0 })).toThrow(/scale must be a positive number, got 0/);
    expect(() => init.varianceScaling({ mode: 'fan' })).toThrow(/mode must be 'fanIn', 'fanOut' or 'fanAvg', got "fan"/);
    expect(() => init.varianceScaling({ distribution: 'normal' })).toThrow(/distribution must be 'uniform' or 'truncatedNormal', got "normal"/);
  });
});
